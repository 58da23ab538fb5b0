-- The mobile-citizens check: a one-time code sent to the IIN's registered phone.
CREATE TABLE phone_checks (
    -- Random, unguessable: the client's only handle on the check.
    id          TEXT PRIMARY KEY NOT NULL,
    iin         TEXT NOT NULL,
    bin         TEXT,
    -- The CertificateProfile as JSON, e.g. {"kind":"legal_entity","template":"hr"}.
    profile     TEXT NOT NULL,
    phone       TEXT NOT NULL,
    -- HMAC-SHA256 under the server's secret: a stolen database does not give the
    -- codes away (there are only 100 000 of them, a plain hash would).
    code_mac    BLOB NOT NULL,
    expires_at  TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    verified_at TEXT,
    created_at  TEXT NOT NULL,
    client_ip   TEXT NOT NULL
);
CREATE INDEX phone_checks_iin ON phone_checks (iin, created_at);
CREATE INDEX phone_checks_ip ON phone_checks (client_ip, created_at);

-- An IIN locked after too many wrong codes (and, later, failed identifications).
CREATE TABLE iin_locks (
    iin    TEXT PRIMARY KEY NOT NULL,
    until  TEXT NOT NULL,
    reason TEXT NOT NULL
);
