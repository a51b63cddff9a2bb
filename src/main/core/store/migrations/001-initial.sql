-- Connection profiles. Engine-specific settings live in `config` (JSON, validated by zod on read).
-- No secrets here: `password_ref` points into the SecretStore.
CREATE TABLE profiles (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  engine       TEXT NOT NULL CHECK (engine IN ('postgres', 'mysql', 'sqlite')),
  tag          TEXT CHECK (tag IN ('production', 'staging', 'dev')),
  config       TEXT NOT NULL CHECK (json_valid(config)),
  password_ref TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

-- Activity log: every change and operation, with who started it and how it ended.
CREATE TABLE activity (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  at       TEXT NOT NULL,
  origin   TEXT NOT NULL CHECK (origin IN ('ui', 'cli', 'scheduler')),
  action   TEXT NOT NULL,
  subject  TEXT NOT NULL,
  outcome  TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
  detail   TEXT CHECK (detail IS NULL OR json_valid(detail))
);
CREATE INDEX activity_at ON activity (at);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
);
