/**
 * Finding a paragraph by id without scanning the article: an article keeps an id → position map,
 * built once and handed on to the drafts made from it (core/draft.ts), so an action on a
 * 2,000-paragraph article looks its paragraph up as fast as on a 10-paragraph one. Every answer is
 * checked against the paragraphs themselves, so a map a draft outgrew (a split inserted a paragraph)
 * is only ever slow, never wrong: it is built again for that article.
 *
 * A draft carries its map in a holder of its own (a property that is not enumerable: copies, JSON and
 * comparisons do not see it), not in a WeakMap: an entry per action cost more than the rest of the
 * draft. Other articles (read from disk, from PostgreSQL) keep theirs by their array in a WeakMap.
 */
import type { Article, Paragraph } from './types.js';

type Indexed = Pick<Article, 'paragraphs'>;
/** An article (a draft keeps its map itself), or a paragraph array (its map is kept by the array). */
type Source = Indexed | readonly Paragraph[];

const HOLDER = Symbol('paragraph index');
interface Holder {
  map?: Map<string, number>;
}
/** Maps of arrays, and of the arrays of articles that are not drafts. */
const loose = new WeakMap<readonly Paragraph[], Map<string, number>>();

function holderOf(source: Source): Holder | undefined {
  return Array.isArray(source) ? undefined : (source as { [HOLDER]?: Holder })[HOLDER];
}

function paragraphsOf(source: Source): readonly Paragraph[] {
  return Array.isArray(source) ? source : (source as Indexed).paragraphs;
}

function mapOf(source: Source): Map<string, number> | undefined {
  const holder = holderOf(source);
  return holder ? holder.map : loose.get(paragraphsOf(source));
}

/** Position of the paragraph with this id, or -1. */
export function indexOfParagraph(source: Source, id: string): number {
  const paragraphs = paragraphsOf(source);
  const known = mapOf(source)?.get(id);
  if (known !== undefined && paragraphs[known]?.id === id) return known;
  const map = new Map<string, number>();
  for (let i = 0; i < paragraphs.length; i++) map.set(paragraphs[i]!.id, i);
  const holder = holderOf(source);
  if (holder) holder.map = map;
  else loose.set(paragraphs, map);
  return map.get(id) ?? -1;
}

/** The paragraph with this id, or undefined. */
export function paragraphById(source: Source, id: string): Paragraph | undefined {
  const i = indexOfParagraph(source, id);
  return i < 0 ? undefined : paragraphsOf(source)[i];
}

/**
 * Lets `to` (a copy of `from`: the same ids at the same places) start from the map of `from`. An
 * article `to` (a draft) gets a holder of its own for it; an array shares it through the WeakMap.
 */
export function shareIndex(from: Source, to: Source): void {
  const map = mapOf(from);
  if (Array.isArray(to)) {
    if (map) loose.set(to, map);
  } else {
    Object.defineProperty(to, HOLDER, { value: { map } satisfies Holder });
  }
}

/** Forgets the map of a draft whose paragraphs changed shape (it is built again when needed). */
export function dropIndex(draft: Indexed): void {
  const holder = holderOf(draft);
  if (holder) delete holder.map;
}

/**
 * The nearest paragraphs before and after position `at` that are not deleted (none when the
 * paragraph at `at` is itself deleted): the context a suggestion is asked with.
 */
export function liveNeighbours(paragraphs: readonly Paragraph[], at: number): { previous?: Paragraph; next?: Paragraph } {
  const self = paragraphs[at];
  if (!self || self.status === 'deleted') return {};
  let previous: Paragraph | undefined;
  for (let i = at - 1; i >= 0 && !previous; i--) if (paragraphs[i]!.status !== 'deleted') previous = paragraphs[i];
  let next: Paragraph | undefined;
  for (let i = at + 1; i < paragraphs.length && !next; i++) if (paragraphs[i]!.status !== 'deleted') next = paragraphs[i];
  return { ...(previous ? { previous } : {}), ...(next ? { next } : {}) };
}
