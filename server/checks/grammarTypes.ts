/**
 * What the grammar check answers and the limits it works within (see `./grammarCore.ts`): shared by
 * the Harper run (`./grammarRun.ts`), our own rules (`./grammarRules.ts`) and the worker plumbing.
 */
export interface GrammarFlag {
  /** Harper's lint kind (`Repetition`, `Agreement`, `Spelling`, `Formatting`, …),
   *  `Readability` for our long-sentence check, or `Info` for notices about the check itself. */
  kind: string;
  message: string;
  /** UTF-16 offsets into the paragraph: `text.slice(start, end)` is the flagged text. */
  start: number;
  end: number;
  /** Harper's first suggestion, as the full replacement for `text.slice(start, end)`
   *  (`''` means "delete it"). Absent when Harper has none. */
  suggestion?: string;
}

export interface GrammarOptions {
  /** Wall-clock budget for Harper on this paragraph, in ms (default `GRAMMAR_LIMITS.timeBudgetMs`). */
  timeBudgetMs?: number;
}

/** A fix `safeFixes` would apply: replace `[start, end)` of the original text by `replacement`. */
export interface PlannedFix {
  kind: string;
  message: string;
  start: number;
  end: number;
  original: string;
  replacement: string;
}

export const GRAMMAR_LIMITS = {
  /** Only the first this-many characters of a paragraph are checked. */
  maxChars: 20_000,
  /** Runs of non-space characters longer than this are hidden from Harper. */
  maxTokenChars: 48,
  /** Target size of the sentence-aligned chunks handed to Harper. */
  chunkChars: 600,
  /** Hard maximum chunk size (a longer sentence is split at a space). */
  maxChunkChars: 1_000,
  /** Default time budget for Harper per paragraph. */
  timeBudgetMs: 2_000,
  /** At most this many flags are returned per paragraph (plus one Info flag). */
  maxFlags: 500,
  /** Sentences with more words than this get a Readability flag. */
  longSentenceWords: 40,
} as const;

/** Kind used for notices about the check itself (truncation, time limit, checker failure). */
export const INFO_KIND = 'Info';
/** Kind of our own long-sentence flag (Harper's own `LongSentences` rule is switched off). */
export const READABILITY_KIND = 'Readability';

/**
 * Lint kinds whose suggestions `safeFixes` may apply — each only under the extra condition noted:
 * - `Repetition`: the flagged text is one lowercase word repeated ("the the"), replaced by one copy.
 * - `Formatting`, `Punctuation`: the change is whitespace only (double spaces, space before a
 *   comma or full stop, "$ 5" → "$5"); no letter, digit or punctuation mark is added or removed.
 * - `Agreement`, `Miscellaneous` (Harper files a/an here), `Grammar`: only lowercase function
 *   words are swapped for other lowercase function words (a↔an, is↔are, was↔were, this↔these…),
 *   everything else in the flagged text stays identical.
 * Never: `Spelling` or any other kind. Always also required: exactly one suggestion, and the
 * numbers and the capitalised words around the edit are unchanged by it.
 */
export const SAFE_FIX_KINDS: ReadonlySet<string> = new Set([
  'Repetition',
  'Formatting',
  'Punctuation',
  'Agreement',
  'Miscellaneous',
  'Grammar',
]);

/** Number of real issues in a list of flags (Info notices about the check itself excluded). */
export function countFlags(flags: readonly GrammarFlag[]): number {
  return flags.filter((f) => f.kind !== INFO_KIND).length;
}

/** One Harper lint read into plain data, with offsets into the paragraph. */
export interface RawLint {
  kind: string;
  message: string;
  start: number;
  end: number;
  /** The flagged text, `text.slice(start, end)`. */
  problem: string;
  /** Each suggestion as the full replacement for `[start, end)`. */
  replacements: string[];
}
