-- The first head's cabinet: sign-in by certificate over a one-time challenge.
CREATE TABLE cabinet_challenges (
    challenge  TEXT PRIMARY KEY NOT NULL,
    expires_at TEXT NOT NULL,
    -- Set when a sign-in took it: a challenge is good once.
    used_at    TEXT
);

CREATE TABLE cabinet_sessions (
    -- SHA-256 of the cookie's token.
    token_hash BLOB PRIMARY KEY NOT NULL,
    -- The authentication certificate signed in with: its revocation ends the session.
    serial     TEXT NOT NULL,
    iin        TEXT NOT NULL,
    bin        TEXT,
    template   TEXT,
    expires_at TEXT NOT NULL
);
