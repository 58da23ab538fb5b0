-- Digital ID (steps 8–21 of the guide). Its sign-in is a phone check of its own, whose
-- id is the Digital ID session that the face check, the PIN and the document use.
ALTER TABLE phone_checks ADD COLUMN purpose TEXT NOT NULL DEFAULT 'application'
    CHECK (purpose IN ('application', 'digital_id'));

-- Selfies are sealed (AES-256-GCM, key outside the database) from now on: any kept in
-- the clear by an earlier version goes.
DELETE FROM selfies;

-- The account: one per person, made when the PIN is set.
CREATE TABLE digital_ids (
    iin          TEXT PRIMARY KEY NOT NULL,
    -- Argon2id, as a PHC string (salt and parameters included).
    pin_hash     TEXT NOT NULL,
    -- Wrong PINs since the last right one; the last allowed one locks the IIN.
    pin_failures INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);

-- A document added to an account: the fields as confirmed, and the decision.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY NOT NULL,
    iin          TEXT NOT NULL,
    session      TEXT NOT NULL REFERENCES phone_checks (id),
    kind         TEXT NOT NULL CHECK (kind IN ('id_card', 'passport')),
    number       TEXT NOT NULL,
    expires_on   TEXT NOT NULL,
    -- The form (DocumentFields), where each value came from, and the zone, as sent.
    fields       TEXT NOT NULL,
    sources      TEXT NOT NULL,
    mrz          TEXT,
    -- The face check's outcome in this session.
    identity     TEXT NOT NULL CHECK (identity IN ('verified', 'moderation')),
    -- What did not match the registry (a JSON array of Mismatch): empty when verified at once.
    mismatches   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('verified', 'moderation', 'rejected')),
    -- The applicant's language, for the SMS with the decision.
    language     TEXT NOT NULL DEFAULT 'ru',
    submitted_at TEXT NOT NULL,
    decided_at   TEXT,
    -- The operator's login; NULL when the registry matched.
    decided_by   TEXT,
    reason       TEXT,
    -- The holder has opened the decision («Новые уведомления» → «Посмотреть»).
    seen         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_iin ON documents (iin, submitted_at);
CREATE INDEX documents_status ON documents (status, submitted_at);

-- Photos of the document's two sides, sealed like the selfies. They belong to the
-- session until the document is submitted, then to the document; they are deleted a
-- set time after the decision.
CREATE TABLE document_photos (
    session    TEXT NOT NULL REFERENCES phone_checks (id),
    side       TEXT NOT NULL CHECK (side IN ('front', 'back')),
    iin        TEXT NOT NULL,
    sealed     BLOB NOT NULL,
    document   TEXT REFERENCES documents (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (session, side)
);

-- «История операций».
CREATE TABLE account_events (
    id    INTEGER PRIMARY KEY,
    iin   TEXT NOT NULL,
    at    TEXT NOT NULL,
    event TEXT NOT NULL
);
CREATE INDEX account_events_iin ON account_events (iin, id);

-- Access granted to the NCA service with the PIN (steps 20–21): the application's
-- handle on the verified identity.
CREATE TABLE consents (
    id         TEXT PRIMARY KEY NOT NULL,
    iin        TEXT NOT NULL,
    document   TEXT NOT NULL REFERENCES documents (id),
    session    TEXT NOT NULL REFERENCES phone_checks (id),
    granted_at TEXT NOT NULL
);

-- Operators of the registration authority (moderation, and later the video calls).
CREATE TABLE operators (
    login         TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    -- Argon2id, as a PHC string.
    password_hash TEXT NOT NULL
);

CREATE TABLE operator_sessions (
    -- SHA-256 of the cookie's random token: a copy of the database signs nobody in.
    token_hash BLOB PRIMARY KEY NOT NULL,
    login      TEXT NOT NULL REFERENCES operators (login),
    expires_at TEXT NOT NULL
);
