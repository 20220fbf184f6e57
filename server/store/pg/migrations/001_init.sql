-- Postedit on PostgreSQL, schema version 1.
--
-- An article is one row: its document (paragraphs with their current text, status, review state,
-- comments and latest suggestion; the undo stack) is kept as JSON in `data`, beside the columns that
-- queries need. `updateArticle` locks that row (SELECT … FOR UPDATE), so every action on an article,
-- from any app instance, is applied one at a time against the current paragraph revisions.
--
-- `json`, not `jsonb`: it keeps the text exactly as written (key order too) and accepts every string
-- the app can hold, \u0000 included, which jsonb refuses. For the same reason no query takes JSON
-- apart (PostgreSQL cannot turn \u0000 into text): the keys a query needs are columns of their own,
-- and `brief` holds what the article list needs (title, dates, each paragraph's status and review).

CREATE TABLE articles (
  id            text PRIMARY KEY,
  -- Creation order: the article list is shown in it.
  seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  title         text NOT NULL,
  content_hash  text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  brief         json NOT NULL,
  data          json NOT NULL
);

-- Every stored state of a paragraph. Append-only: (article, paragraph, n) is unique, so an action
-- can never write a revision twice, and rows are never updated.
CREATE TABLE revisions (
  article_id    text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  paragraph_id  text NOT NULL,
  n             integer NOT NULL CHECK (n >= 1),
  seq           bigint GENERATED ALWAYS AS IDENTITY,
  data          json NOT NULL,
  PRIMARY KEY (article_id, paragraph_id, n)
);
CREATE INDEX revisions_in_order ON revisions (article_id, seq);

-- Every suggestion ever made for an article. Immutable once stored.
CREATE TABLE suggestions (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id    text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  id            text NOT NULL,
  paragraph_id  text NOT NULL,
  data          json NOT NULL
);
CREATE INDEX suggestions_in_order ON suggestions (article_id, seq);

CREATE FUNCTION postedit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only: they are never updated', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER revisions_append_only BEFORE UPDATE ON revisions FOR EACH ROW EXECUTE FUNCTION postedit_append_only();
CREATE TRIGGER suggestions_append_only BEFORE UPDATE ON suggestions FOR EACH ROW EXECUTE FUNCTION postedit_append_only();

-- Accounts. Secrets (session cookies, API tokens) are stored only as sha256 hashes.
CREATE TABLE users (
  username       text PRIMARY KEY,
  seq            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  role           text NOT NULL CHECK (role IN ('editor', 'reviewer', 'admin')),
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL
);

CREATE TABLE api_tokens (
  id          text PRIMARY KEY,
  username    text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  position    integer NOT NULL,
  name        text NOT NULL,
  hash        text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL
);
CREATE INDEX api_tokens_of_user ON api_tokens (username, position);

-- Sessions live here, not in a process, so a cookie (and its CSRF token) works on every instance.
CREATE TABLE sessions (
  hash        text PRIMARY KEY,
  username    text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX sessions_of_user ON sessions (username);
