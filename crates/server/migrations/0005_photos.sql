-- Damage photos from the walk-around, uploaded by tablets in the background. taken_at is the
-- device's capture time (the evidence time); received_at is when the server got the bytes.
-- Append-only: an upload of an id already held is taken only with the same bytes (same sha256).
-- BYTEA is PostgreSQL's binary type; SQLite stores the bytes as a BLOB under any declared type.
CREATE TABLE photos (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    taken_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    byte_length BIGINT NOT NULL,
    bytes BYTEA NOT NULL
);

CREATE INDEX photos_visit ON photos (visit_id, taken_at);
