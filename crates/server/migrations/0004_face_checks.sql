-- The face check (steps 10–13 of the guide): the selfie and the liveness challenges of
-- one applicant session (a verified phone check, until Digital ID has its own).
CREATE TABLE selfies (
    session     TEXT PRIMARY KEY NOT NULL REFERENCES phone_checks (id),
    iin         TEXT NOT NULL,
    -- The picture as the page sent it: biometrics, kept only until the face check
    -- ends (or, for moderation, until an operator has looked at it).
    image       BLOB NOT NULL,
    -- Where the face was (a qoltanba_face::Face as JSON): the liveness frames must match it.
    face        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE liveness_challenges (
    id          TEXT PRIMARY KEY NOT NULL,
    session     TEXT NOT NULL REFERENCES phone_checks (id),
    iin         TEXT NOT NULL,
    -- The actions as a JSON array, e.g. ["turn_left","blink","move_closer"].
    actions     TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    -- issued → checking → passed | failed; failures become 'forgiven' when a lock
    -- for them is imposed, so the count starts again after it.
    status      TEXT NOT NULL CHECK (status IN ('issued', 'checking', 'passed', 'failed', 'forgiven')),
    outcome     TEXT CHECK (outcome IN ('verified', 'moderation')),
    finished_at TEXT
);
CREATE INDEX liveness_challenges_iin ON liveness_challenges (iin, status);
