-- Why the first head rejected an application, shown in «Таблица статусов заявки».
ALTER TABLE application_statuses ADD COLUMN reason TEXT;
