-- The file an article was imported from (Article.original: an uploaded XLIFF, up to 10 MB), in a
-- column of its own: it never changes, so it is written once with the article and read only with a
-- copy of the article that is not cached yet — not with every change of the article's `meta`.
--
--   articles.original           the ArticleOriginal as JSON, or NULL
--   articles.original_version   the version the article was inserted at (NULL for rows from before
--                               this migration, which have no original). An instance whose cached copy
--                               is older (the id was deleted and imported again) reads it afresh.

ALTER TABLE articles
  ADD COLUMN original json,
  ADD COLUMN original_version bigint;
