import { readFile, readdir, writeFile, appendFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Article, Revision } from '../../server/core/types.js';
import { LowdbStore } from '../../server/store/lowdbStore.js';
import { tempDir } from '../support/app.js';
import { ownParagraph } from '../../server/core/draft.js';

function article(id: string): { article: Article; revisions: Revision[] } {
  const at = new Date().toISOString();
  return {
    article: {
      id, title: `Title ${id}`, createdAt: at, updatedAt: at, contentHash: `hash-${id}`, hasSource: false, hasReference: false,
      paragraphs: [{ id: 'p1', index: 0, kind: 'body', mt: 'Hello world.', text: 'Hello world.', status: 'pending', revision: 1 }],
      nextParagraph: 2, undo: [],
    },
    revisions: [{ n: 1, paragraphId: 'p1', action: 'import', author: 'a', at, text: 'Hello world.', status: 'pending', diff: { added: 2, removed: 0 }, op: 'o1' }],
  };
}

function bump(text: string) {
  return (a: Article) => {
    const p = ownParagraph(a, 0);
    p.text = text;
    p.revision += 1;
    p.status = 'edited';
    const rev: Revision = { n: p.revision, paragraphId: 'p1', action: 'edit', author: 'a', at: new Date().toISOString(), text, status: 'edited', diff: { added: 1, removed: 1 }, op: `o${p.revision}` };
    return { result: p.revision, revisions: [rev] };
  };
}

describe('LowdbStore', () => {
  it('writes articles, catalog and history to disk and reads them back after reopening', async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open(dir);
    const { article: a, revisions } = article('one');
    await store.createArticle(a, revisions);
    await store.updateArticle('one', bump('Hello there.'));
    await store.close();

    const onDisk = JSON.parse(await readFile(join(dir, 'articles', 'one.json'), 'utf8')) as Article;
    expect(onDisk.paragraphs[0]!.text).toBe('Hello there.');
    const catalog = JSON.parse(await readFile(join(dir, 'catalog.json'), 'utf8'));
    expect(catalog.articles.map((e: { id: string }) => e.id)).toEqual(['one']);

    const again = await LowdbStore.open(dir);
    expect((await again.getArticle('one'))!.paragraphs[0]!.revision).toBe(2);
    expect((await again.history('one', 'p1')).map((r) => r.text)).toEqual(['Hello world.', 'Hello there.']);
  });

  it('serialises concurrent changes to one article: none is lost', async () => {
    const store = await LowdbStore.open(await tempDir());
    const { article: a, revisions } = article('busy');
    await store.createArticle(a, revisions);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.updateArticle('busy', bump(`text ${i}`))));
    expect(new Set(results).size).toBe(50);
    expect((await store.getArticle('busy'))!.paragraphs[0]!.revision).toBe(51);
    expect((await store.history('busy', 'p1')).map((r) => r.n)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  });

  it('stores nothing when a change throws', async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open(dir);
    const { article: a, revisions } = article('safe');
    await store.createArticle(a, revisions);
    await expect(store.updateArticle('safe', (draft) => {
      ownParagraph(draft, 0).text = 'half-done';
      throw new Error('refused');
    })).rejects.toThrow('refused');
    expect((await store.getArticle('safe'))!.paragraphs[0]!.text).toBe('Hello world.');
    const onDisk = JSON.parse(await readFile(join(dir, 'articles', 'safe.json'), 'utf8')) as Article;
    expect(onDisk.paragraphs[0]!.text).toBe('Hello world.');
  });

  it('gives out copies: changing a returned article changes nothing stored', async () => {
    const store = await LowdbStore.open(await tempDir());
    const { article: a, revisions } = article('copy');
    await store.createArticle(a, revisions);
    const got = (await store.getArticle('copy'))!;
    got.paragraphs[0]!.text = 'mutated';
    expect((await store.getArticle('copy'))!.paragraphs[0]!.text).toBe('Hello world.');
  });

  it('recovers from a crash between history append and article write, and from a torn line', async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open(dir);
    const { article: a, revisions } = article('crash');
    await store.createArticle(a, revisions);
    await store.close();
    const history = join(dir, 'articles', 'crash.history.jsonl');
    // An action's revision reached the history, but the article file was never rewritten…
    await appendFile(history, JSON.stringify({ ...revisions[0], n: 2, action: 'edit', text: 'orphan' }) + '\n');
    // …and the next write was cut mid-line; a temporary file was left behind.
    await appendFile(history, '{"n":3,"paragr');
    await writeFile(join(dir, 'articles', '.crash.json.tmp'), '{"half":');

    const reopened = await LowdbStore.open(dir);
    expect((await reopened.history('crash', 'p1')).map((r) => r.n)).toEqual([1]);
    expect(await readdir(join(dir, 'articles'))).not.toContain('.crash.json.tmp');
    await reopened.updateArticle('crash', bump('after crash'));
    expect((await reopened.history('crash', 'p1')).map((r) => [r.n, r.text])).toEqual([[1, 'Hello world.'], [2, 'after crash']]);
  });

  it('rejects ids that could leave the data directory', async () => {
    const store = await LowdbStore.open(await tempDir());
    expect(await store.getArticle('../../etc/passwd')).toBeUndefined();
    await expect(store.history('../x')).rejects.toThrow(/no article/);
  });

  it('fails every action whose write did not reach the disk, and keeps history and article in step', async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open(dir);
    const { article: a, revisions } = article('failing');
    await store.createArticle(a, revisions);
    await store.updateArticle('failing', bump('saved'));
    // Make the next journal appends (and the snapshot rewrite that follows a failure) fail.
    const journal = join(dir, 'articles', 'failing.journal.jsonl');
    const tmp = join(dir, 'articles', '.failing.json.tmp');
    await rm(journal);
    await mkdir(journal);
    await mkdir(tmp);
    const results = await Promise.allSettled([store.updateArticle('failing', bump('lost 1')), store.updateArticle('failing', bump('lost 2'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await rm(tmp, { recursive: true });
    await rm(journal, { recursive: true });
    expect((await store.getArticle('failing'))!.paragraphs[0]!.text).toBe('saved');
    expect((await store.history('failing', 'p1')).map((r) => r.text)).toEqual(['Hello world.', 'saved']);
    await store.updateArticle('failing', bump('after'));
    expect((await store.history('failing', 'p1')).map((r) => [r.n, r.text])).toEqual([[1, 'Hello world.'], [2, 'saved'], [3, 'after']]);
    await store.close();
    const again = await LowdbStore.open(dir);
    expect((await again.getArticle('failing'))!.paragraphs[0]!.text).toBe('after');
    expect((await again.history('failing', 'p1')).map((r) => [r.n, r.text])).toEqual([[1, 'Hello world.'], [2, 'saved'], [3, 'after']]);
  });
});

/** A store on a fresh directory holding one article (from `article(id)`), removed afterwards. */
async function withOneArticle(id: string, test: (store: LowdbStore, a: Article) => Promise<void>): Promise<void> {
  const dir = await tempDir(`postedit-${id}-`);
  try {
    const store = await LowdbStore.open(dir);
    const { article: a, revisions } = article(id);
    await store.createArticle(a, revisions);
    await test(store, a);
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('LowdbStore drafts', () => {
  it('refuses a change that writes to a paragraph it did not take (ownParagraph), storing nothing', async () => {
    await withOneArticle('drafted', async (store, a) => {
      await expect(store.updateArticle(a.id, (draft) => {
        draft.paragraphs[0]!.text = 'written to the shared copy';
        return { result: 0, revisions: [] };
      })).rejects.toThrow(TypeError);
      expect((await store.getArticle(a.id))!.paragraphs[0]!.text).toBe(a.paragraphs[0]!.text);
      // Readers get copies they may change freely.
      const copy = (await store.getArticle(a.id))!;
      copy.paragraphs[0]!.text = 'mine';
      expect((await store.getArticle(a.id))!.paragraphs[0]!.text).toBe(a.paragraphs[0]!.text);
    });
  });
});

describe('LowdbStore.readArticle', () => {
  it('hands out the stored article for reading: the latest durable state, frozen, never a half-written change', async () => {
    await withOneArticle('readable', async (store, a) => {
      await store.updateArticle(a.id, bump('Hello there.'));
      const read = (await store.readArticle(a.id))!;
      expect(read.paragraphs[0]!.text).toBe('Hello there.');
      expect(Object.isFrozen(read) && Object.isFrozen(read.paragraphs) && Object.isFrozen(read.paragraphs[0])).toBe(true);
      expect(() => {
        read.paragraphs[0]!.text = 'changed by a reader';
      }).toThrow(TypeError);
      // A later action makes a new object; what a reader holds stays as it was.
      await store.updateArticle(a.id, bump('Hello again.'));
      expect(read.paragraphs[0]!.text).toBe('Hello there.');
      expect((await store.readArticle(a.id))!.paragraphs[0]!.text).toBe('Hello again.');
      expect(await store.readArticle('../etc')).toBeUndefined();
    });
  });
});
