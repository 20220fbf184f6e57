/**
 * MT checks: the second family of checks. A suggestion check compares a rewrite with the MT; an MT
 * check compares the MT with its source (when there is one) and points at the MT's own errors — a
 * wrong number, a name the source does not have, a dropped clause, Chinese left untranslated.
 * Registered in `mt/index.ts`; run by `runMtChecks`.
 */
import type { GlossaryEntry } from '../../core/glossary.js';
import type { MtFlag } from '../../core/types.js';

export interface MtCheckContext {
  glossary?: GlossaryEntry[];
  /**
   * The article's typical MT/source length ratio (median of its paragraphs' English characters per
   * source character), when the article has a source: the omission check compares each paragraph
   * with its own article rather than with a fixed constant.
   */
  articleLengthRatio?: number;
  /** Paragraph kind: headlines are terse and read differently. */
  kind?: 'heading' | 'body';
}

export interface MtCheck {
  /** Short stable id stored with each flag, e.g. `mt-numbers`. */
  id: string;
  /** Name shown to editors. */
  name: string;
  description: string;
  /** Bumped when the check's answers change: part of the cache key of stored flags. */
  version: number;
  /** `source` is absent when the article has none; checks that need it return []. */
  run(mt: string, source: string | undefined, ctx: MtCheckContext): MtFlag[];
}
