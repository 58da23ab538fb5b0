-- Why the first head rejected an application, shown in «Таблица статусов заявки».
ALTER TABLE application_statuses ADD COLUMN reason TEXT;

-- Why a certificate was revoked (RevocationReason), for the CRL entry.
ALTER TABLE application_keys ADD COLUMN revocation_reason TEXT;

-- The applicant's language, for the SMS with the first head's decision.
ALTER TABLE applications ADD COLUMN language TEXT NOT NULL DEFAULT 'ru';
