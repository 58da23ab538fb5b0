-- Simulated state registries (ГБД ФЛ, ГБД ЮЛ, БМГ). In production these are remote
-- services behind the same traits; here they are tables the demo seed fills.
CREATE TABLE sim_individuals (
    iin              TEXT PRIMARY KEY NOT NULL,
    surname          TEXT NOT NULL,
    name             TEXT NOT NULL,
    patronymic       TEXT,
    birth_date       TEXT NOT NULL,
    -- Which fixture face is this person's reference photo ("fixture" or "other").
    reference_photo  TEXT NOT NULL
);

CREATE TABLE sim_id_documents (
    iin        TEXT NOT NULL REFERENCES sim_individuals (iin),
    kind       TEXT NOT NULL CHECK (kind IN ('id_card', 'passport')),
    number     TEXT NOT NULL,
    issued_on  TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    issuer     TEXT NOT NULL,
    PRIMARY KEY (iin, number)
);

CREATE TABLE sim_legal_entities (
    bin             TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL,
    first_head_iin  TEXT NOT NULL
);

-- Persons with signing rights, who may act for the first head.
CREATE TABLE sim_signers (
    bin TEXT NOT NULL REFERENCES sim_legal_entities (bin),
    iin TEXT NOT NULL,
    PRIMARY KEY (bin, iin)
);

CREATE TABLE sim_mobile_phones (
    iin            TEXT PRIMARY KEY NOT NULL,
    phone          TEXT NOT NULL,
    registered_at  TEXT NOT NULL,
    -- Who registered it: "seed", or an operator's login.
    registered_by  TEXT NOT NULL
);
