-- Portable between SQLite and PostgreSQL: TEXT ids, BIGINT numbers, money in minor units,
-- times as UTC RFC 3339 text (fixed width, so they sort), local times of day as 'HH:MM'.

CREATE TABLE dealerships (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    currency TEXT NOT NULL,
    slot_minutes BIGINT NOT NULL CHECK (slot_minutes > 0),
    visits_per_slot BIGINT NOT NULL CHECK (visits_per_slot > 0),
    visits_per_advisor_per_slot BIGINT NOT NULL CHECK (visits_per_advisor_per_slot > 0),
    slack_percent BIGINT NOT NULL CHECK (slack_percent BETWEEN 0 AND 90),
    created_at TEXT NOT NULL
);

CREATE TABLE business_hours (
    dealership_id TEXT NOT NULL REFERENCES dealerships (id),
    iso_weekday BIGINT NOT NULL CHECK (iso_weekday BETWEEN 1 AND 7),
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    PRIMARY KEY (dealership_id, iso_weekday)
);

CREATE TABLE advisors (
    id TEXT PRIMARY KEY,
    dealership_id TEXT NOT NULL REFERENCES dealerships (id),
    display_name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE service_types (
    id TEXT PRIMARY KEY,
    dealership_id TEXT NOT NULL REFERENCES dealerships (id),
    code TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_ko TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes > 0),
    price_minor BIGINT NOT NULL CHECK (price_minor >= 0),
    currency TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (dealership_id, code)
);

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    dealership_id TEXT NOT NULL REFERENCES dealerships (id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE vehicles (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    plate TEXT NOT NULL,
    vin TEXT,
    make TEXT NOT NULL,
    model TEXT NOT NULL,
    model_year BIGINT,
    colour TEXT,
    odometer_km BIGINT
);

CREATE INDEX vehicles_plate ON vehicles (plate);

CREATE TABLE appointments (
    id TEXT PRIMARY KEY,
    dealership_id TEXT NOT NULL REFERENCES dealerships (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    vehicle_id TEXT NOT NULL REFERENCES vehicles (id),
    advisor_id TEXT NOT NULL REFERENCES advisors (id),
    slot_start TEXT NOT NULL,
    transport TEXT NOT NULL CHECK (transport IN ('wait', 'loaner', 'shuttle', 'drop_off')),
    concerns TEXT NOT NULL,
    confirmation_code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('booked', 'arrived', 'cancelled', 'no_show')),
    created_at TEXT NOT NULL
);

CREATE INDEX appointments_slot ON appointments (dealership_id, slot_start);

CREATE TABLE appointment_services (
    appointment_id TEXT NOT NULL REFERENCES appointments (id),
    service_type_id TEXT NOT NULL REFERENCES service_types (id),
    PRIMARY KEY (appointment_id, service_type_id)
);
