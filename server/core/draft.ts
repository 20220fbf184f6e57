/**
 * Copy-on-write drafts of an article, so an action costs what it changes, not the article's size.
 *
 * Both stores keep the articles they hold in memory frozen: the article, its arrays, and every
 * paragraph and undo entry are `Object.freeze`d. A command gets a draft that shares those frozen
 * objects and takes its own copy of a paragraph before changing it (`ownParagraph`); an object that
 * is not frozen is already the draft's own. A change that forgets to take a copy throws (ES modules
 * are strict) instead of silently altering what readers see.
 *
 * A draft also notes which places of its paragraph array were written (`ownParagraph`, or any other
 * assignment) and whether the array changed shape (a paragraph inserted or removed), so freezing the
 * draft and finding what changed (store/articleJournal.ts `diffArticle`) look at those places only.
 * Commands see the array through a proxy that takes the notes; `freezeArticle` puts the plain array
 * back. A draft whose array was replaced or reshaped is simply looked at whole, as any other article.
 */
import { dropIndex, shareIndex } from './paragraphLookup.js';
import type { Article, Paragraph, UndoEntry } from './types.js';

/** What a draft did to its paragraph array. */
interface Ledger {
  /** The paragraph array of the article the draft was made from. */
  base: readonly Paragraph[];
  /** The draft's own copy of the array; commands write it through `view`. */
  own: Paragraph[];
  view: Paragraph[] | undefined;
  written: Set<number>;
  reshaped: boolean;
}

/**
 * Where a draft keeps its ledger: a property that is not enumerable (copies, JSON and comparisons do
 * not see it), not a WeakMap: a WeakMap entry per action cost more than the rest of the draft.
 */
const LEDGER = Symbol('draft ledger');

function ledgerOf(article: Article): Ledger | undefined {
  return (article as Article & { [LEDGER]?: Ledger })[LEDGER];
}

const INDEX = /^(?:0|[1-9]\d*)$/;

function noting(ledger: Ledger): ProxyHandler<Paragraph[]> {
  return {
    set(target, key, value) {
      if (key === 'length') {
        if (value !== target.length) ledger.reshaped = true;
      } else if (typeof key === 'string' && INDEX.test(key) && Number(key) < target.length) {
        ledger.written.add(Number(key));
      } else {
        ledger.reshaped = true;
      }
      return Reflect.set(target, key, value);
    },
    deleteProperty(target, key) {
      ledger.reshaped = true;
      return Reflect.deleteProperty(target, key);
    },
    defineProperty(target, key, descriptor) {
      ledger.reshaped = true;
      return Reflect.defineProperty(target, key, descriptor);
    },
  };
}

/** A draft of a frozen article: new top-level object, paragraph array, undo array and usage tally. */
export function draftOf(article: Article): Article {
  // Spread, not slice(): V8 copies a frozen array fast only this way (slice() takes ~50 ns an element).
  const own = [...article.paragraphs];
  const ledger: Ledger = { base: article.paragraphs, own, view: undefined, written: new Set(), reshaped: false };
  const view = new Proxy(own, noting(ledger));
  ledger.view = view;
  const draft: Article = {
    ...article,
    paragraphs: view,
    undo: [...article.undo],
    ...(article.usage ? { usage: { ...article.usage } } : {}),
  };
  Object.defineProperty(draft, LEDGER, { value: ledger });
  shareIndex(article, draft);
  return draft;
}

/** The paragraph at `index`, copied into the draft first if it is still shared. */
export function ownParagraph(article: Article, index: number): Paragraph {
  const p = article.paragraphs[index];
  if (!p) throw new RangeError(`no paragraph at index ${index}`);
  if (!Object.isFrozen(p)) return p;
  const copy = { ...p };
  article.paragraphs[index] = copy;
  return copy;
}

/**
 * The places of `after`'s paragraph array that may differ from `before`'s, in order, when `after` is
 * a draft of `before` whose array kept its shape; undefined when every place must be looked at.
 */
export function writtenPlaces(before: Article, after: Article): number[] | undefined {
  const ledger = ledgerOf(after);
  if (!ledger || ledger.reshaped || ledger.base !== before.paragraphs) return undefined;
  if (after.paragraphs !== ledger.own && after.paragraphs !== ledger.view) return undefined;
  if (after.paragraphs.length !== before.paragraphs.length) return undefined;
  return [...ledger.written].sort((a, b) => a - b);
}

/**
 * Freezes what a draft made its own, so the next draft shares it, and the article itself, so the
 * store can hand it to readers as it is; returns the article.
 */
export function freezeArticle(article: Article): Article {
  const ledger = ledgerOf(article);
  if (ledger && article.paragraphs === ledger.view) {
    // The plain array goes back in place of the proxy.
    article.paragraphs = ledger.own;
    ledger.view = undefined;
  }
  if (ledger && (ledger.reshaped || article.paragraphs !== ledger.own)) dropIndex(article);
  if (ledger && article.paragraphs === ledger.own && !ledger.reshaped) {
    for (const i of ledger.written) {
      const p = article.paragraphs[i]!;
      if (!Object.isFrozen(p)) Object.freeze(p);
    }
  } else {
    for (const p of article.paragraphs) if (!Object.isFrozen(p)) Object.freeze(p);
  }
  // At most the undo depth (100) entries, most of them shared.
  for (const e of article.undo) if (!Object.isFrozen(e)) freezeUndoEntry(e);
  Object.freeze(article.paragraphs);
  Object.freeze(article.undo);
  if (article.usage) Object.freeze(article.usage);
  return Object.freeze(article);
}

function freezeUndoEntry(e: UndoEntry): void {
  for (const b of e.before) Object.freeze(b);
  Object.freeze(e.before);
  Object.freeze(e.created);
  Object.freeze(e);
}
