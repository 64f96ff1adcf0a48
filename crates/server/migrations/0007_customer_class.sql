-- The customer's class (DOMAIN.md step 12): 'A', 'B' or 'C', setting how often the dealership
-- keeps in touch. Null until staff class them.
ALTER TABLE customers ADD COLUMN class TEXT;
