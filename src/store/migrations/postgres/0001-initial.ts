// The PostgreSQL twin of sqlite/0001-initial.ts: same tables and column names (src/store/rows.ts
// maps both), instants as BIGINT epoch milliseconds, flags as BOOLEAN, documents as JSONB.
export const m0001 = {
  version: 1,
  sql: `
CREATE TABLE jobs (
  name            TEXT PRIMARY KEY,
  timing_hash     TEXT NOT NULL,
  cursor_ms       BIGINT NOT NULL,
  paused          BOOLEAN NOT NULL DEFAULT false,
  paused_note     TEXT,
  paused_by       TEXT,
  paused_at_ms    BIGINT,
  paused_until_ms BIGINT,
  created_ms      BIGINT NOT NULL,
  updated_ms      BIGINT NOT NULL
);

CREATE TABLE occurrences (
  id              TEXT PRIMARY KEY,
  job             TEXT NOT NULL,
  nominal_ms      BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  trigger         TEXT NOT NULL,
  state           TEXT NOT NULL,
  reason          TEXT,
  target          TEXT NOT NULL,
  due_ms          BIGINT NOT NULL,
  span_end_ms     BIGINT,
  span_count      BIGINT,
  created_ms      BIGINT NOT NULL,
  started_ms      BIGINT,
  ended_ms        BIGINT,
  run_id          TEXT,
  fence           BIGINT NOT NULL DEFAULT 0,
  owner           TEXT,
  lease_until_ms  BIGINT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  error_class     TEXT,
  message         TEXT,
  requested_by    TEXT,
  force           BOOLEAN NOT NULL DEFAULT false,
  detail          JSONB,
  UNIQUE (job, kind, nominal_ms)
);
CREATE INDEX occurrences_live ON occurrences (state, due_ms);
CREATE INDEX occurrences_job_nominal ON occurrences (job, nominal_ms);
CREATE INDEX occurrences_target_state ON occurrences (target, state);

CREATE TABLE attempts (
  occurrence_id   TEXT NOT NULL REFERENCES occurrences (id),
  number          INTEGER NOT NULL,
  fence           BIGINT NOT NULL,
  owner           TEXT,
  started_ms      BIGINT NOT NULL,
  ended_ms        BIGINT,
  outcome         TEXT,
  error_class     TEXT,
  message         TEXT,
  handle_id       TEXT,
  handle          JSONB,
  log_path        TEXT,
  PRIMARY KEY (occurrence_id, number)
);

CREATE TABLE events (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at_ms           BIGINT NOT NULL,
  job             TEXT,
  occurrence_id   TEXT,
  type            TEXT NOT NULL,
  data            JSONB
);
CREATE INDEX events_job_at ON events (job, at_ms);

CREATE TABLE locks (
  name            TEXT PRIMARY KEY,
  owner           TEXT NOT NULL,
  until_ms        BIGINT NOT NULL,
  info            JSONB
);
`,
};
