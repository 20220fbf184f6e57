-- Batch runs, their shared work queue, and login rate limits: in the database, so every app instance
-- and every worker process sees the same runs and counts the same failed logins.

-- A run's record is its JSON document; `status`, `started_at` and who executes it (`workers` for runs
-- queued in run_tasks, `process` for one app or CLI process) are copied out for queries.
CREATE TABLE runs (
  id          text PRIMARY KEY,
  started_at  timestamptz NOT NULL,
  status      text NOT NULL,
  executor    text NOT NULL DEFAULT 'process' CHECK (executor IN ('process', 'workers')),
  data        json NOT NULL
);
CREATE INDEX runs_newest ON runs (started_at DESC, id DESC);

-- The results log of a run: one row per finished paragraph, append-only.
CREATE TABLE run_results (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id        text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  article_id    text NOT NULL,
  paragraph_id  text NOT NULL,
  data          json NOT NULL
);
CREATE INDEX run_results_of_run ON run_results (run_id, seq);

-- Work for `npm run worker`: one row per paragraph of a run executed by workers. A worker claims rows
-- with SELECT … FOR UPDATE SKIP LOCKED and renews `claimed_at` while it works; a claim older than the
-- lease belongs to a worker that died and is taken over.
CREATE TABLE run_tasks (
  run_id        text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  article_id    text NOT NULL,
  paragraph_id  text NOT NULL,
  position      integer NOT NULL,
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'claimed', 'done', 'failed')),
  claimed_by    text,
  claimed_at    timestamptz,
  attempts      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, article_id, paragraph_id)
);
CREATE INDEX run_tasks_open ON run_tasks (run_id, position) WHERE status IN ('queued', 'claimed');

-- Processes that execute runs (app instances, workers), with a heartbeat: a run whose owner has not
-- been seen for a while is shown as interrupted, wherever its process ran.
CREATE TABLE run_processes (
  instance  text PRIMARY KEY,
  pid       integer NOT NULL,
  host      text NOT NULL,
  seen_at   timestamptz NOT NULL
);

-- Failed logins per key (address and username), for the login rate limit.
CREATE TABLE login_failures (
  key  text NOT NULL,
  at   timestamptz NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
CREATE INDEX login_failures_by_age ON login_failures (at);
