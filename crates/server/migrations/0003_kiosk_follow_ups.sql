-- A kiosk's booking or check-in that the server refused, kept for staff: the customer may have
-- left the screen before reading why. body is the whole lane_domain::sync::KioskFollowUp as
-- JSON; tablets pull it like a record. Written only with the push that refused the mutation
-- (mutation_id), so a retried push adds none. Portable between SQLite and PostgreSQL, as 0001.
CREATE TABLE kiosk_follow_ups (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id),
    mutation_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (device_id, mutation_id)
);
