-- The article list's brief without an entry per paragraph: an action used to rewrite, in the article
-- row, the list of every paragraph's status and review — a write as long as the article. The brief
-- now counts the paragraphs by status and review instead:
--
--   articles.brief   {title, createdAt, updatedAt, hasSource, tally: [[status, review or null, count], …]}
--
-- so that an action rewrites a few numbers. The briefs already stored are rewritten by the data step
-- of this migration (dataMigrations.ts, in JavaScript like 004's); no schema change.
SELECT 1;
