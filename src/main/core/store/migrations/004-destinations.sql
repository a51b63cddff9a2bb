-- Configured destinations (the built-in "local" one is not stored). Type-specific settings are JSON
-- validated by zod on read; credentials live in the SecretStore under secret_refs (JSON name -> ref).
-- Backups refer to destinations by name (backup_copies.destination, jobs), so names never change.
CREATE TABLE destinations (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  type        TEXT NOT NULL CHECK (type IN ('local', 's3', 'azure', 'sftp')),
  config      TEXT NOT NULL CHECK (json_valid(config)),
  secret_refs TEXT CHECK (secret_refs IS NULL OR json_valid(secret_refs)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
