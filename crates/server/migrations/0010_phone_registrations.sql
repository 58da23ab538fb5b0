-- Phones registered in the mobile-citizens database by an operator during a video
-- call: the code sent to the phone, and once the applicant read it aloud and the
-- operator typed it, who registered it and when (the audit of the registration).
-- Rows never confirmed are deleted an hour after their code expired (retention.rs).
CREATE TABLE phone_registrations (
    -- Random, unguessable: the operator's page's only handle on the registration.
    id            TEXT PRIMARY KEY NOT NULL,
    iin           TEXT NOT NULL,
    phone         TEXT NOT NULL,
    -- HMAC-SHA256 under the server's secret, bound to the id (as phone_checks.code_mac).
    code_mac      BLOB NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    expires_at    TEXT NOT NULL,
    -- The operator's login: only he may confirm it.
    operator      TEXT NOT NULL,
    -- The video call during which it happened, if any.
    call          TEXT,
    created_at    TEXT NOT NULL,
    registered_at TEXT
);
CREATE INDEX phone_registrations_iin ON phone_registrations (iin, created_at);
