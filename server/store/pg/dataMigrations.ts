/**
 * Steps of schema migrations that SQL cannot do, run by migrate.ts right after the migration's SQL,
 * in the same transaction (under the same advisory lock). Keyed by `VERSION_name` of the migration
 * file, so a directory of other migrations (tests) never runs them. Like the SQL files, a step is
 * never changed once released: it works on the schema as its migration leaves it, not on today's.
 */
import type { PoolClient } from 'pg';

export type DataStep = (client: PoolClient) => Promise<void>;

export const DATA_STEPS: Record<string, DataStep> = {
  '4_paragraph_rows': splitArticleDocuments,
  '7_brief_tally': tallyBriefs,
};

/** Articles read per query while migrating (each may be a few hundred KB). */
const BATCH = 20;

interface OldDocument {
  paragraphs?: Array<{ id: string }>;
  undo?: Array<{ op: string }>;
  [key: string]: unknown;
}

/**
 * 004: each article's document (in `meta`, renamed from `data` by the SQL) is split into paragraph
 * rows, undo rows and what is left (the article's metadata). Parsed here, not in SQL: PostgreSQL
 * refuses to take apart JSON holding \u0000, which an article may hold.
 */
async function splitArticleDocuments(c: PoolClient): Promise<void> {
  let after = '0';
  for (;;) {
    const { rows } = await c.query<{ id: string; seq: string; version: string; meta: OldDocument }>(
      'SELECT id, seq, version, meta FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, BATCH],
    );
    if (rows.length === 0) return;
    for (const { id, version, meta: document } of rows) {
      const { paragraphs = [], undo = [], ...meta } = document;
      if (paragraphs.length) {
        await c.query(
          `INSERT INTO article_paragraphs (article_id, id, position, version, data)
           SELECT $1, x.id, x.i - 1, $2, x.data::json FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS x(id, data, i)`,
          [id, version, paragraphs.map((p) => p.id), paragraphs.map((p) => JSON.stringify(p))],
        );
      }
      if (undo.length) {
        await c.query(
          `INSERT INTO article_undo (article_id, op, version, data)
           SELECT $1, u.op, $2, u.data::json FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(op, data, i) ORDER BY u.i`,
          [id, version, undo.map((e) => e.op), undo.map((e) => JSON.stringify(e))],
        );
      }
      await c.query('UPDATE articles SET meta = $2::json WHERE id = $1', [id, JSON.stringify(meta)]);
    }
    after = rows.at(-1)!.seq;
  }
}

/**
 * 007: each article's brief lists its paragraphs' statuses and reviews (`paragraphs`); it gets their
 * counts instead (`tally`: [status, review or null, count], by status and review), its other fields
 * kept. Parsed here, not in SQL, as in 004.
 */
async function tallyBriefs(c: PoolClient): Promise<void> {
  let after = '0';
  for (;;) {
    const { rows } = await c.query<{ id: string; seq: string; brief: { paragraphs?: Array<{ status: string; review?: string }>; [key: string]: unknown } }>(
      'SELECT id, seq, brief FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, BATCH * 10],
    );
    if (rows.length === 0) return;
    for (const { id, brief } of rows) {
      if (!Array.isArray(brief.paragraphs)) continue;
      const { paragraphs, ...rest } = brief;
      const counts = new Map<string, number>();
      for (const p of paragraphs) counts.set(`${p.status}|${p.review ?? ''}`, (counts.get(`${p.status}|${p.review ?? ''}`) ?? 0) + 1);
      const tally = [...counts].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, n]) => {
        const [status, review] = k.split('|');
        return [status, review || null, n];
      });
      await c.query('UPDATE articles SET brief = $2::json WHERE id = $1', [id, JSON.stringify({ ...rest, tally })]);
    }
    after = rows.at(-1)!.seq;
  }
}
