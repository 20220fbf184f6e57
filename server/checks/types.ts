/**
 * A check looks at a rewrite (before → after) and reports findings: the fact guard's parts and
 * other quality checks are plug-ins of this shape, registered in `checks/index.ts`.
 */
import type { Finding } from '../core/types.js';
import type { GlossaryEntry } from '../core/glossary.js';
import type { InlineCode } from '../core/inlineCodes.js';

export interface CheckContext {
  /** Source-language text of the paragraph, when known. */
  source?: string;
  glossary?: GlossaryEntry[];
  /** The paragraph's inline codes (labels, pair or standalone), when it has any. */
  codes?: InlineCode[];
}

export interface Check {
  /** Short stable id stored with each finding, e.g. `numbers`. */
  id: string;
  /** Name shown to editors. */
  name: string;
  description: string;
  run(before: string, after: string, ctx: CheckContext): Finding[];
  /**
   * Whether the check reads inline-code markers (⟦1⟧, ⟦/1⟧). The others get the texts without them
   * (codes are not words or numbers) and their spans are mapped back onto the texts with markers.
   */
  seesCodes?: boolean;
}
