export const m0001 = {
  version: 1,
  sql: `
CREATE TABLE jobs (
  name            TEXT PRIMARY KEY,
  timing_hash     TEXT NOT NULL,
  cursor_ms       INTEGER NOT NULL,
  paused          INTEGER NOT NULL DEFAULT 0,
  paused_note     TEXT,
  paused_by       TEXT,
  paused_at_ms    INTEGER,
  paused_until_ms INTEGER,
  created_ms      INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL
);

CREATE TABLE occurrences (
  id              TEXT PRIMARY KEY,
  job             TEXT NOT NULL,
  nominal_ms      INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  trigger         TEXT NOT NULL,
  state           TEXT NOT NULL,
  reason          TEXT,
  target          TEXT NOT NULL,
  due_ms          INTEGER NOT NULL,
  span_end_ms     INTEGER,
  span_count      INTEGER,
  created_ms      INTEGER NOT NULL,
  started_ms      INTEGER,
  ended_ms        INTEGER,
  run_id          TEXT,
  fence           INTEGER NOT NULL DEFAULT 0,
  owner           TEXT,
  lease_until_ms  INTEGER,
  attempts        INTEGER NOT NULL DEFAULT 0,
  error_class     TEXT,
  message         TEXT,
  requested_by    TEXT,
  force           INTEGER NOT NULL DEFAULT 0,
  detail          TEXT,
  UNIQUE (job, kind, nominal_ms)
);
CREATE INDEX occurrences_live ON occurrences (state, due_ms);
CREATE INDEX occurrences_job_nominal ON occurrences (job, nominal_ms);
CREATE INDEX occurrences_target_state ON occurrences (target, state);

CREATE TABLE attempts (
  occurrence_id   TEXT NOT NULL REFERENCES occurrences (id),
  number          INTEGER NOT NULL,
  fence           INTEGER NOT NULL,
  owner           TEXT,
  started_ms      INTEGER NOT NULL,
  ended_ms        INTEGER,
  outcome         TEXT,
  error_class     TEXT,
  message         TEXT,
  handle_id       TEXT,
  handle          TEXT,
  log_path        TEXT,
  PRIMARY KEY (occurrence_id, number)
);

CREATE TABLE events (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms           INTEGER NOT NULL,
  job             TEXT,
  occurrence_id   TEXT,
  type            TEXT NOT NULL,
  data            TEXT
);
CREATE INDEX events_job_at ON events (job, at_ms);

CREATE TABLE locks (
  name            TEXT PRIMARY KEY,
  owner           TEXT NOT NULL,
  until_ms        INTEGER NOT NULL,
  info            TEXT
);
`,
};
