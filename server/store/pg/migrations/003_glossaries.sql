-- Uploaded glossaries (corpus and per article), shared by every app instance.

-- One row per scope (`corpus` or `article:ID`), its entries as a JSON array in the order they apply.
-- `seq` keeps the order scopes were first stored in, as the lowdb file does.
CREATE TABLE glossaries (
  scope       text PRIMARY KEY,
  seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  entries     json NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL
);

-- One row, bumped in the transaction of every glossary change. Changes take its row lock first, so
-- they apply one at a time across instances (a merge never loses another instance's entries), and an
-- instance that finds a revision it has not seen knows its cached glossaries are stale.
CREATE TABLE glossary_revision (
  id        boolean PRIMARY KEY DEFAULT true CHECK (id),
  revision  bigint NOT NULL
);
INSERT INTO glossary_revision (id, revision) VALUES (true, 0);
