/**
 * The file an article was imported from (Article.original, an uploaded XLIFF of up to 10 MB) on
 * PostgreSQL: a column of its own (migration 006), written once with the article and never again — an
 * action rewrites the article's `meta`, which does not hold it — and read with a copy of the article
 * that is not cached yet, including after the id was deleted and imported again.
 */
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownParagraph } from '../../server/core/draft.js';
import type { Article, Revision } from '../../server/core/types.js';
import { openPool } from '../../server/store/pg/database.js';
import { migrate } from '../../server/store/pg/migrate.js';
import { PgStore } from '../../server/store/pg/pgStore.js';
import { postgresForFile } from '../support/postgres.js';

const postgres = postgresForFile('pgOriginals');
const at = '2024-05-01T10:00:00.000Z';

function makeArticle(id: string, text: string): { article: Article; revisions: Revision[] } {
  const article: Article = {
    id, title: id, createdAt: at, updatedAt: at, contentHash: `hash-${id}-${text.length}`, origin: 'job.sdlxliff', hasSource: true, hasReference: false,
    paragraphs: [{
      id: 'p1', index: 0, kind: 'body', source: 'Quelle', mt: 'Text.', text: 'Text.', status: 'pending', revision: 1,
      origin: { file: 'a.docx', fileAt: 0, unit: 'u1', unitAt: 0, target: true, imported: { status: 'pending' } },
      codes: [{ n: 1, kind: 'standalone', open: '<x id="1"/>', label: 'x 1' }],
    }],
    nextParagraph: 2,
    undo: [],
    original: { format: 'xliff', version: '1.2', text, encoding: 'utf-8', bom: false },
  };
  return { article, revisions: [{ n: 1, paragraphId: 'p1', action: 'import', author: 'ed', at, text: 'Text.', status: 'pending', diff: { added: 1, removed: 0 }, op: 'import' }] };
}

function edit(text: string) {
  return (a: Article) => {
    const p = ownParagraph(a, 0);
    p.text = text;
    p.revision += 1;
    p.status = 'edited';
    return { result: p.revision, revisions: [{ n: p.revision, paragraphId: 'p1', action: 'edit' as const, author: 'ed', at, text, status: 'edited' as const, diff: { added: 1, removed: 1 }, op: `op-${text}` }] };
  };
}

describe.skipIf(!!postgres.reason)('the original file of an article on PostgreSQL', () => {
  let pool: Pool;
  beforeAll(async () => {
    const db = await postgres.database();
    pool = openPool(db.url, { max: 4 });
    await migrate(pool);
  });
  afterAll(async () => pool?.end());

  it('is stored once, outside meta, and read back whole by a fresh instance and after another instance’s write', async () => {
    const big = `<?xml version="1.0"?>\n<xliff version="1.2">${'<!-- padding ✓ -->'.repeat(50_000)}</xliff>\n`;
    const a = new PgStore(pool, { ownsPool: false });
    const b = new PgStore(pool, { ownsPool: false });
    const { article, revisions } = makeArticle('with-original', big);
    await a.createArticle(article, revisions);
    const row = async () => (await pool.query<{ meta: Record<string, unknown>; original: Article['original']; original_version: string; version: string }>(
      'SELECT meta, original, original_version, version FROM articles WHERE id = $1', ['with-original'])).rows[0]!;
    const first = await row();
    expect(first.meta.original).toBeUndefined();
    expect(first.original).toEqual(article.original);
    expect(first.original_version).toBe(first.version);

    expect((await b.getArticle('with-original'))!.original!.text).toBe(big);
    await a.updateArticle('with-original', edit('edited by a'));
    const second = await row();
    expect(second.meta.original).toBeUndefined();
    expect(second.original_version).toBe(first.original_version);
    // b's copy is behind: brought up to date from the rows written since, its original kept.
    const seen = (await b.getArticle('with-original'))!;
    expect(seen.paragraphs[0]).toMatchObject({ text: 'edited by a', origin: { unit: 'u1' }, codes: [{ open: '<x id="1"/>' }] });
    expect(seen.original!.text).toBe(big);
    expect(await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('with-original')).toEqual(await a.getArticle('with-original'));

    // Deleted and imported again under the same id, with another file: b never keeps the old one.
    expect(await a.deleteArticle('with-original')).toBe(true);
    const again = makeArticle('with-original', '<xliff version="2.0"/>');
    await a.createArticle(again.article, again.revisions);
    expect((await b.getArticle('with-original'))!.original!.text).toBe('<xliff version="2.0"/>');
    // An article without one has none.
    const plain = makeArticle('without-original', 'x');
    delete plain.article.original;
    await a.createArticle(plain.article, plain.revisions);
    expect((await new PgStore(pool, { ownsPool: false, cachedArticles: 0 }).getArticle('without-original'))!.original).toBeUndefined();
  });
});
