-- The audit trail: every event of every application, append-only. Each row holds the
-- hash of the row before it (one chain for the whole table, `audit.rs`), so a changed,
-- removed or reordered row breaks the chain from there on.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    application TEXT NOT NULL REFERENCES applications (number),
    event       TEXT NOT NULL,
    -- Who did it: the registration or certification authority, the applicant, the
    -- system (expiry), later the first head by his certificate.
    actor       TEXT NOT NULL,
    -- JSON with what the event needs to be checked later (fingerprints, serials, reasons).
    detail      TEXT,
    at          TEXT NOT NULL,
    prev_hash   BLOB NOT NULL,
    hash        BLOB NOT NULL UNIQUE
);
CREATE INDEX audit_events_application ON audit_events (application, id);

-- Append-only for the application itself; the chain catches whoever gets past this.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
