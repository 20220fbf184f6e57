-- Paragraphs and undo entries as rows of their own, so an action writes what it changed instead of
-- the whole article document.
--
--   articles.meta         the article without its paragraphs and undo stack (title, dates, usage, …)
--   articles.version      bumped by every action (and set when the article is stored), from one
--                         sequence: a value is never reused, not even by an article deleted and
--                         imported again under the same id. An app instance keeps the articles it
--                         works on in memory and uses its copy only while the row's version is the
--                         version the copy was read at.
--   article_paragraphs    one row per paragraph, ordered by `position`
--   article_undo          one row per undo entry, oldest first (ordered by `seq`)
--
-- Each paragraph and undo row carries the article version that last wrote it, so an instance whose
-- copy is out of date reads only the rows written since. Rows are written only under the article
-- row's lock (SELECT … FOR UPDATE), like everything else of an article.
--
-- The existing documents are taken apart in the app (JSON.parse), not with PostgreSQL's JSON
-- functions: a document may hold \u0000 (the app accepts any string), and every function that reads
-- an object's keys (->, ->>, json_each) then fails with "unsupported Unicode escape sequence".

CREATE SEQUENCE article_versions AS bigint;

ALTER TABLE articles ADD COLUMN version bigint;
UPDATE articles SET version = nextval('article_versions');
ALTER TABLE articles
  ALTER COLUMN version SET DEFAULT nextval('article_versions'),
  ALTER COLUMN version SET NOT NULL;
ALTER SEQUENCE article_versions OWNED BY articles.version;

CREATE TABLE article_paragraphs (
  article_id  text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  id          text NOT NULL,
  position    integer NOT NULL,
  version     bigint NOT NULL,
  data        json NOT NULL,
  PRIMARY KEY (article_id, id)
);

CREATE TABLE article_undo (
  article_id  text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  op          text NOT NULL,
  version     bigint NOT NULL,
  data        json NOT NULL,
  PRIMARY KEY (article_id, seq)
);

-- The documents are taken apart by migrate.ts (dataMigrations.ts), in this transaction: the
-- rows are filled from each article's JSON and `meta` is rewritten without paragraphs and undo stack.
ALTER TABLE articles RENAME COLUMN data TO meta;
