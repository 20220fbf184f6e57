/**
 * A check looks at a rewrite (before → after) and reports findings: the fact guard's parts and
 * other quality checks are plug-ins of this shape, registered in `checks/index.ts`.
 */
import type { Finding } from '../core/types.js';
import type { GlossaryEntry } from '../core/glossary.js';

export interface CheckContext {
  /** Source-language text of the paragraph, when known. */
  source?: string;
  glossary?: GlossaryEntry[];
}

export interface Check {
  /** Short stable id stored with each finding, e.g. `numbers`. */
  id: string;
  /** Name shown to editors. */
  name: string;
  description: string;
  run(before: string, after: string, ctx: CheckContext): Finding[];
}
