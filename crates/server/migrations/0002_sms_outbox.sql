-- Every SMS the system sends. The demo reads it through GET /api/dev/sms.
CREATE TABLE sms_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sender     TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    text       TEXT NOT NULL,
    sent_at    TEXT NOT NULL
);
CREATE INDEX sms_outbox_recipient ON sms_outbox (recipient, id);
