-- Backup history. A row is inserted as `running` before the dump starts and always ends as
-- success / failed / cancelled, or — when its process died — interrupted (at the next start-up).
CREATE TABLE backups (
  id             TEXT PRIMARY KEY,
  profile_id     TEXT REFERENCES profiles(id) ON DELETE SET NULL,
  profile_name   TEXT NOT NULL,
  engine         TEXT NOT NULL CHECK (engine IN ('postgres', 'mysql', 'sqlite')),
  status         TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed', 'cancelled', 'interrupted')),
  reason         TEXT NOT NULL CHECK (reason IN ('manual', 'scheduled', 'pre-restore')),
  label          TEXT,
  file_name      TEXT NOT NULL,
  format         TEXT NOT NULL CHECK (format IN ('custom', 'plain', 'sqlite')),
  compression    TEXT NOT NULL CHECK (compression IN ('zstd', 'gzip', 'none')),
  encryption     TEXT CHECK (encryption IN ('passphrase', 'recipient')),
  options        TEXT NOT NULL CHECK (json_valid(options)),
  size_bytes     INTEGER,
  raw_bytes      INTEGER,
  sha256         TEXT,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  duration_ms    INTEGER,
  tables_count   INTEGER,
  server_version TEXT,
  tool_name      TEXT,
  tool_version   TEXT,
  error          TEXT,
  -- Who is running it, so start-up can tell a crashed run from one another process is still doing.
  runner_pid     INTEGER,
  heartbeat_at   TEXT
);
CREATE INDEX backups_started ON backups (started_at DESC);
CREATE INDEX backups_profile ON backups (profile_id, started_at DESC);
CREATE INDEX backups_running ON backups (status) WHERE status = 'running';

-- Where each backup's file is stored (one row per destination).
CREATE TABLE backup_copies (
  backup_id   TEXT NOT NULL REFERENCES backups(id) ON DELETE CASCADE,
  destination TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed', 'deleted')),
  location    TEXT,
  error       TEXT,
  PRIMARY KEY (backup_id, destination)
);
