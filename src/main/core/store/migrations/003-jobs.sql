-- Scheduled jobs. The definition (schedule, time zone, retention, options, notification rules) is JSON
-- validated by zod on read; secrets (webhook URLs, passphrase) live in the SecretStore under secrets_ref.
-- next_due_at is the truth the scheduler works from (timers are only a way to wake up on time).
CREATE TABLE jobs (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  profile_id    TEXT NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
  definition    TEXT NOT NULL CHECK (json_valid(definition)),
  secrets_ref   TEXT,
  next_due_at   TEXT,
  run_state     TEXT NOT NULL DEFAULT 'idle' CHECK (run_state IN ('idle', 'queued', 'running')),
  -- Who holds a queued/running run: a per-scheduler token (a pid alone can be reused after a crash)
  -- and the pid for the liveness check.
  run_owner_token TEXT,
  run_owner_pid INTEGER,
  last_run_at   TEXT,
  last_backup_id TEXT,
  last_status   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX jobs_profile ON jobs (profile_id);

-- Which job made a backup: retention works per job and destination.
ALTER TABLE backups ADD COLUMN job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL;
CREATE INDEX backups_job ON backups (job_id, started_at DESC);

-- One scheduler per data dir: the holder's pid and a heartbeat (a holder silent for long is dead).
CREATE TABLE scheduler_lock (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  token        TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('desktop', 'daemon')),
  host         TEXT NOT NULL,
  acquired_at  TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);
