-- Why the first head rejected an application, shown in «Таблица статусов заявки».
ALTER TABLE application_statuses ADD COLUMN reason TEXT;

-- Why a certificate was revoked (RevocationReason), for the CRL entry.
ALTER TABLE application_keys ADD COLUMN revocation_reason TEXT;
