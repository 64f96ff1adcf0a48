-- The mileage the customer gave when booking (DOMAIN.md step 1), in km: what they said, not a
-- reading; the advisor records the odometer at the walk-around. Null when not given.
ALTER TABLE appointments ADD COLUMN stated_mileage_km BIGINT;
