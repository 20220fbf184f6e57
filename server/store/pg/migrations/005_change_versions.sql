-- What an instance with a cached copy of an article must read when another instance wrote it.
--
--   articles.order_version  the version of the last write that changed the set or the order of the
--                           article's paragraphs. While it is not newer than a cached copy, the
--                           paragraphs are the copy's, in the copy's order, except the rows written
--                           since (version > the copy's), which replace theirs in place: no id list.
--   articles.undo_version   the version of the last write that changed the undo stack other than by
--                           dropping its oldest entries, replacing entries in place, or pushing new
--                           ones at the end (e.g. an undo, which removes the newest entry)
--   articles.undo_count     the number of undo entries. While undo_version is not newer than the
--                           copy, the stack is the last undo_count of: the copy's entries (those
--                           rewritten since replaced, matched by seq) followed by the rows added since.
--
-- No defaults: every INSERT of an article must set them (to its version), so a copy of an article
-- deleted and imported again under the same id is never taken for the new one.
-- The indexes let "rows written since version v" be read without visiting the article's other rows.

ALTER TABLE articles
  ADD COLUMN order_version bigint,
  ADD COLUMN undo_version bigint,
  ADD COLUMN undo_count integer;
UPDATE articles a SET order_version = a.version, undo_version = a.version,
  undo_count = (SELECT count(*) FROM article_undo u WHERE u.article_id = a.id);
ALTER TABLE articles
  ALTER COLUMN order_version SET NOT NULL,
  ALTER COLUMN undo_version SET NOT NULL,
  ALTER COLUMN undo_count SET NOT NULL;

CREATE INDEX article_paragraphs_written ON article_paragraphs (article_id, version);
CREATE INDEX article_undo_written ON article_undo (article_id, version);
