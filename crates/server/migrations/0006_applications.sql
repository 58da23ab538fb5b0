-- Applications for certificates (steps 22–27 of the guide) and the keys they certify.
CREATE TABLE applications (
    -- 14 random digits: what the applicant writes down.
    number       TEXT PRIMARY KEY NOT NULL CHECK (length(number) = 14),
    -- SHA-256 of the browser's random request id: the same submission sent again
    -- finds this row, and the browser holding the id is the applicant's.
    request_hash BLOB NOT NULL UNIQUE,
    -- One consent, one application.
    consent      TEXT NOT NULL UNIQUE REFERENCES consents (id),
    iin          TEXT NOT NULL,
    bin          TEXT,
    -- The CertificateProfile as JSON, as in phone_checks.
    profile      TEXT NOT NULL,
    surname      TEXT NOT NULL,
    name         TEXT NOT NULL,
    patronymic   TEXT,
    organisation TEXT,
    email        TEXT,
    -- TreasuryDetails as JSON, for the Treasury-Client template only.
    treasury     TEXT,
    -- The subject DN (DER) built from the registries at submission: the one issued.
    subject      BLOB NOT NULL,
    status       TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX applications_iin ON applications (iin, created_at);

-- «Таблица статусов заявки»: every change with its time.
CREATE TABLE application_statuses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    application TEXT NOT NULL REFERENCES applications (number),
    status      TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX application_statuses_application ON application_statuses (application, id);

-- The two keys of an application: the request as received, then the certificate.
CREATE TABLE application_keys (
    application TEXT NOT NULL REFERENCES applications (number),
    purpose     TEXT NOT NULL CHECK (purpose IN ('authentication', 'signing')),
    -- The SEC1 point: a key is certified once, in one application.
    public_key  BLOB NOT NULL UNIQUE,
    request     TEXT NOT NULL,
    -- Hex; unique across everything the CA issued.
    serial      TEXT UNIQUE,
    certificate BLOB,
    issued_at   TEXT,
    revoked_at  TEXT,
    PRIMARY KEY (application, purpose)
);

