/**
 * Copy-on-write drafts of an article, so an action costs what it changes, not the article's size.
 *
 * Both stores keep the articles they hold in memory frozen: the article, its arrays, and every
 * paragraph and undo entry are `Object.freeze`d. A command gets a draft that shares those frozen
 * objects and takes its own copy of a paragraph before changing it (`ownParagraph`); an object that
 * is not frozen is already the draft's own. A change that forgets to take a copy throws (ES modules
 * are strict) instead of silently altering what readers see.
 */
import type { Article, Paragraph, UndoEntry } from './types.js';

/** A draft of a frozen article: new top-level object, paragraph array, undo array and usage tally. */
export function draftOf(article: Article): Article {
  return {
    ...article,
    paragraphs: [...article.paragraphs],
    undo: [...article.undo],
    ...(article.usage ? { usage: { ...article.usage } } : {}),
  };
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
 * Freezes what a draft made its own, so the next draft shares it, and the article itself, so the
 * store can hand it to readers as it is; returns the article.
 */
export function freezeArticle(article: Article): Article {
  for (const p of article.paragraphs) if (!Object.isFrozen(p)) Object.freeze(p);
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
