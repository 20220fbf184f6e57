/**
 * Generated articles for the benchmarks, stored through the real commands and store (import, then
 * suggestions and edits through `updateArticle`, the path every command takes).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../server/boot.js';
import { runChecks } from '../../server/checks/index.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { importArticle } from '../../server/commands/importArticle.js';
import type { Services } from '../../server/commands/services.js';
import { addUser, createToken } from '../../server/commands/users.js';
import { diffSummary } from '../../server/core/diff.js';
import type { Actor, Revision, Suggestion } from '../../server/core/types.js';
import { OfflineEngine } from '../../server/engines/offline.js';
import { corpusDir, NewsText } from './text.js';
import { ownParagraph } from '../../server/core/draft.js';

export const EDITOR: Actor = { username: 'editor', role: 'editor' };

export async function tempDataDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `postedit-bench-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function openServices(dataDir: string): Promise<Services> {
  return createServices({ dataDir, corpusDir, engine: new OfflineEngine() });
}

/** Ensures the `editor` user exists and returns a fresh API token for it. */
export async function editorToken(services: Services): Promise<string> {
  if (!(await services.users.getUser(EDITOR.username))) {
    await addUser(services.users, { username: EDITOR.username, password: 'password-editor', role: EDITOR.role });
  }
  return createToken(services.users, EDITOR.username, 'bench');
}

export interface GenerateOptions {
  title: string;
  paragraphs: number;
  words?: number;
  /** Every n-th paragraph (0, n, 2n, …) gets a pending suggestion; 2 = half of them. */
  suggestEvery?: number;
  seed?: number;
}

/** Imports a generated article; returns its id. */
export async function importGenerated(services: Services, gen: NewsText, o: GenerateOptions): Promise<string> {
  const text = Array.from({ length: o.paragraphs }, () => gen.paragraph(o.words ?? 80)).join('\n\n');
  const { article, created } = await importArticle(services, { text, title: o.title, actor: EDITOR });
  if (!created) throw new Error(`generated article "${o.title}" was a duplicate`);
  if (article.paragraphs.length !== o.paragraphs) throw new Error(`import cut ${article.paragraphs.length} paragraphs, expected ${o.paragraphs}`);
  return article.id;
}

/**
 * Attaches a pending suggestion to every `every`-th paragraph in one store update, as the suggest
 * command would: a rewrite differing in a few words, checked by the fact guard, one `suggest` revision.
 */
export async function attachSuggestions(services: Services, gen: NewsText, id: string, every = 2): Promise<number> {
  return services.store.updateArticle(id, (article) => {
    const at = services.now().toISOString();
    const revisions: Revision[] = [];
    const suggestions: Suggestion[] = [];
    const op = randomUUID();
    article.paragraphs.forEach((shared, i) => {
      if (i % every !== 0 || shared.status === 'deleted') return;
      const p = ownParagraph(article, i);
      const text = gen.rewrite(p.text, 3);
      const s: Suggestion = {
        id: `s-${randomUUID()}`,
        paragraphId: p.id,
        engine: 'openai',
        model: 'bench-model',
        text,
        basedOn: p.text,
        checks: runChecks(p.text, text, { glossary: services.glossary }),
        createdAt: at,
        level: 'minimal',
        contextHash: '0000000000000000',
        usage: { prompt: 420, completion: 110 },
      };
      p.suggestion = s;
      p.status = p.status === 'pending' || p.status === 'rejected' ? 'suggested' : p.status;
      p.revision += 1;
      suggestions.push(s);
      revisions.push({ n: p.revision, paragraphId: p.id, action: 'suggest', author: EDITOR.username, at, text: p.text, status: p.status, diff: { added: 0, removed: 0 }, suggestionId: s.id, op });
    });
    article.updatedAt = at;
    return { result: revisions.length, revisions, suggestions };
  });
}

/**
 * Fast path to a long history: edits `count` paragraph revisions in batches (one store update per
 * pass over the article), each a realistic rewrite with its diff summary.
 */
export async function fastEdits(services: Services, gen: NewsText, id: string, count: number): Promise<void> {
  let left = count;
  while (left > 0) {
    left -= await services.store.updateArticle(id, (article) => {
      const at = services.now().toISOString();
      const op = randomUUID();
      const revisions: Revision[] = [];
      for (let i = 0; i < article.paragraphs.length; i++) {
        if (revisions.length >= left) break;
        const p = ownParagraph(article, i);
        const previous = p.text;
        p.text = gen.rewrite(p.text, 2);
        p.status = 'edited';
        p.revision += 1;
        revisions.push({ n: p.revision, paragraphId: p.id, action: 'edit', author: EDITOR.username, at, text: p.text, status: p.status, diff: diffSummary(previous, p.text), op });
      }
      article.updatedAt = at;
      return { result: revisions.length, revisions };
    });
  }
}

/** Real edit commands (so the undo stack is as full as in use), on paragraphs chosen by `pick`. */
export async function commandEdits(services: Services, gen: NewsText, id: string, count: number, pick: (i: number) => string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const article = (await services.store.getArticle(id))!;
    const p = article.paragraphs.find((x) => x.id === pick(i))!;
    await editParagraph(services, { articleId: id, paragraphId: p.id, baseRevision: p.revision, actor: EDITOR, text: gen.rewrite(p.text, 2) });
  }
}
