/**
 * A desk for command tests: the app's services over a temporary data directory (or a database of
 * its own in the PostgreSQL pass, through DATABASE_URL), with no HTTP server. Articles are stored
 * the way an import stores them, directly through the store, so these tests do not depend on the
 * import pipeline.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../../server/boot.js';
import type { Services } from '../../server/commands/services.js';
import type { Actor, Article, Paragraph, ParagraphKind, Revision } from '../../server/core/types.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import type { Engine } from '../../server/engines/types.js';
import { dropStoreFor, storeEnvFor } from './postgres.js';

// Not taken from ./app.js: that module brings the whole web layer along.
const corpusDir = fileURLToPath(new URL('../../corpus', import.meta.url));

export const ed: Actor = { username: 'ed', role: 'editor' };
export const eve: Actor = { username: 'eve', role: 'editor' };
export const rita: Actor = { username: 'rita', role: 'reviewer' };
export const ada: Actor = { username: 'ada', role: 'admin' };

export type ParagraphSpec = string | { kind?: ParagraphKind; text: string; source?: string };

/**
 * A small news article. The offline engine changes p2 (a doubled word), p3 (a long number) and p6
 * (a space before a comma); it leaves p5 as it is.
 */
export const NEWS: ParagraphSpec[] = [
  { kind: 'heading', text: 'Wearables alliance founded in Baoan' },
  'The alliance was founded in the the national incubator on January 28.',
  'Output of the industry reached 1000000000 yuan in 2014.',
  'Mayor Wang Hongbin visited the member companies in person.',
  'The park lies near the river.',
  'Most enterprises gathered in Baoan , about 200 in all.',
];

/** The text of NEWS's paragraph `i` (1-based, as in p1, p2 …): what the MT says before anyone acts. */
export function mtOf(i: number): string {
  const s = NEWS[i - 1]!;
  return typeof s === 'string' ? s : s.text;
}

export interface Desk {
  services: Services;
  dataDir: string;
  /** Stores a new article (ids p1, p2, … all pending at revision 1, MT = text) and answers its id. */
  article(paragraphs?: ParagraphSpec[], title?: string): Promise<string>;
  /** The stored paragraph as it is now. */
  para(articleId: string, paragraphId: string): Promise<Paragraph>;
  /** The stored article as it is now. */
  get(articleId: string): Promise<Article>;
  /** The paragraph's revisions, oldest first. */
  history(articleId: string, paragraphId: string): Promise<Revision[]>;
  /** Closes the stores and removes the data (and, on PostgreSQL, the database). */
  close(): Promise<void>;
}

export async function openDesk(options: { engine?: Engine; env?: NodeJS.ProcessEnv } = {}): Promise<Desk> {
  const dataDir = await mkdtemp(join(tmpdir(), 'postedit-commands-'));
  const env = await storeEnvFor(dataDir, options.env ?? process.env);
  const services = await createServices({ dataDir, corpusDir, engine: options.engine ?? new OfflineEngine(), env });
  let count = 0;
  const get = async (articleId: string) => {
    const a = await services.store.getArticle(articleId);
    if (!a) throw new Error(`no article ${articleId} in the store`);
    return a;
  };
  return {
    services,
    dataDir,
    async article(specs = NEWS, title = `Article ${++count}`) {
      const id = `a${count}-${randomUUID().slice(0, 6)}`;
      const at = services.now().toISOString();
      const op = randomUUID();
      const paragraphs: Paragraph[] = specs.map((s, i) => {
        const spec = typeof s === 'string' ? { text: s } : s;
        return {
          id: `p${i + 1}`,
          index: i,
          kind: spec.kind ?? 'body',
          ...(spec.source ? { source: spec.source } : {}),
          mt: spec.text,
          text: spec.text,
          status: 'pending',
          revision: 1,
        };
      });
      const article: Article = {
        id,
        title,
        createdAt: at,
        updatedAt: at,
        contentHash: randomUUID(),
        hasSource: specs.some((s) => typeof s !== 'string' && !!s.source),
        hasReference: false,
        sourceLang: 'zh',
        targetLang: 'en',
        paragraphs,
        nextParagraph: paragraphs.length + 1,
        undo: [],
      };
      const revisions: Revision[] = paragraphs.map((p) => ({
        n: 1,
        paragraphId: p.id,
        action: 'import',
        author: 'importer',
        at,
        text: p.text,
        status: 'pending',
        diff: { added: p.text.split(/\s+/).length, removed: 0 },
        op,
      }));
      await services.store.createArticle(article, revisions);
      return id;
    },
    get,
    async para(articleId, paragraphId) {
      const p = (await get(articleId)).paragraphs.find((x) => x.id === paragraphId);
      if (!p) throw new Error(`no paragraph ${paragraphId} in ${articleId}`);
      return p;
    },
    async history(articleId, paragraphId) {
      return (await services.store.history(articleId, paragraphId)).sort((a, b) => a.n - b.n);
    },
    async close() {
      await services.store.close();
      await dropStoreFor(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Calls a command as a promise even when it refuses its input before returning one (editParagraph,
 * keepParagraphs and reviewParagraph check their arguments synchronously).
 */
export function attempt<T>(command: () => Promise<T>): Promise<T> {
  return Promise.resolve().then(command);
}

/** The error a refused command rejects with. */
export async function refusal(command: () => Promise<unknown>): Promise<Error & { status?: number; current?: unknown }> {
  try {
    await command();
  } catch (e) {
    return e as Error & { status?: number };
  }
  throw new Error('the command was expected to refuse, and it succeeded');
}
