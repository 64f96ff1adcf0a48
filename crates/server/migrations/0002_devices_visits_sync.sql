-- Devices and people, visits and their signatures, the sync ledger and the audit log.
-- Portable between SQLite and PostgreSQL, as 0001.

-- A device is enrolled once with a one-time code and then carries a revocable bearer token; only
-- the token's SHA-256 is stored. last_seq is the last mutation of this device the server applied:
-- the sync ledger's high-water mark, advanced in the same transaction as the mutation.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    dealership_id TEXT NOT NULL REFERENCES dealerships (id),
    kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'tablet')),
    name TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    last_seen_at TEXT,
    last_seq BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE enrolment_codes (
    code_sha256 TEXT PRIMARY KEY,
    dealership_id TEXT NOT NULL REFERENCES dealerships (id),
    kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'tablet')),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    device_id TEXT REFERENCES devices (id)
);

-- Advisors sign in on a tablet with a PIN (argon2id PHC string); repeated failures lock it.
ALTER TABLE advisors ADD COLUMN pin_hash TEXT;
ALTER TABLE advisors ADD COLUMN failed_pins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE advisors ADD COLUMN locked_until TEXT;

CREATE TABLE advisor_sessions (
    token_sha256 TEXT PRIMARY KEY,
    advisor_id TEXT NOT NULL REFERENCES advisors (id),
    device_id TEXT NOT NULL REFERENCES devices (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);

-- Kiosk lookups, kept to rate-limit them per device.
CREATE TABLE kiosk_lookups (
    device_id TEXT NOT NULL REFERENCES devices (id),
    at TEXT NOT NULL,
    hit BOOLEAN NOT NULL
);

CREATE INDEX kiosk_lookups_device ON kiosk_lookups (device_id, at);

-- A visit (repair order). The indexed columns are what the server queries by; body is the whole
-- lane_domain::visit::Visit as JSON, the shape both sides validate. field_versions records, per
-- field, the version and device of its last write, for last-writer-wins and telling the loser.
CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    dealership_id TEXT NOT NULL REFERENCES dealerships (id),
    appointment_id TEXT REFERENCES appointments (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    vehicle_id TEXT NOT NULL REFERENCES vehicles (id),
    advisor_id TEXT REFERENCES advisors (id),
    state TEXT NOT NULL,
    checked_in_at TEXT NOT NULL,
    body TEXT NOT NULL,
    field_versions TEXT NOT NULL
);

CREATE INDEX visits_state ON visits (dealership_id, state);

-- Signatures are append-only: no code path updates or deletes a row.
CREATE TABLE signatures (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    document_kind TEXT NOT NULL,
    document_version BIGINT NOT NULL,
    document_sha256 TEXT NOT NULL,
    consent_sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (visit_id, document_kind, document_version)
);

-- One counter for every change: each changed record takes the next value as its version, and a
-- device's pull cursor is the highest version it has seen.
CREATE TABLE sync_clock (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

INSERT INTO sync_clock (id, version) VALUES (1, 0);

CREATE TABLE record_versions (
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version BIGINT NOT NULL UNIQUE,
    PRIMARY KEY (record_type, record_id)
);

-- Every mutation a device sent and the server answered, so a retry gets the same answer.
CREATE TABLE applied_mutations (
    device_id TEXT NOT NULL REFERENCES devices (id),
    seq BIGINT NOT NULL,
    mutation_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (device_id, seq),
    UNIQUE (device_id, mutation_id)
);

-- Messages for one device, pulled like records: a field edit of its that another device overwrote.
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Who changed what, from which device, when. Never updated or deleted.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    device_id TEXT,
    advisor_id TEXT,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    detail TEXT NOT NULL
);

CREATE INDEX audit_log_record ON audit_log (record_type, record_id);
