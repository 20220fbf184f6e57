/** The domain model of Postedit. Every other module speaks these types. */
import type { InlineCode } from './inlineCodes.js';

/** How much an engine may rewrite: fix errors only, or rewrite for readability. */
export type EditLevel = 'minimal' | 'fluent';

/** A heading (title, subtitle) or a body paragraph. */
export type ParagraphKind = 'heading' | 'body';

/**
 * Where a paragraph stands in the editing workflow.
 * pending → suggested → accepted | edited | rejected | kept; any of them → deleted (and back by revert/undo).
 * `kept` is an editor's confirmation that the text needs no change (the MT as is).
 */
export type ParagraphStatus = 'pending' | 'suggested' | 'accepted' | 'edited' | 'rejected' | 'kept' | 'deleted';

export const PARAGRAPH_STATUSES: readonly ParagraphStatus[] = [
  'pending', 'suggested', 'accepted', 'edited', 'rejected', 'kept', 'deleted',
];

/** What produced a revision. `import` is every paragraph's first revision. */
export type RevisionAction =
  | 'import' | 'suggest' | 'accept' | 'accept-partial' | 'edit' | 'reject' | 'keep'
  | 'revert' | 'undo' | 'delete' | 'split' | 'split-off' | 'merge' | 'merged-away'
  | 'submit' | 'approve' | 'send-back' | 'reopen' | 'comment';

/**
 * Where a paragraph stands in review, beside its editing status.
 * none → in-review (an editor submits) → approved | sent-back (a reviewer decides); approved → none (reopen).
 * Approved paragraphs are locked for text changes until reopened.
 */
export type ReviewState = 'none' | 'in-review' | 'approved' | 'sent-back';

export const REVIEW_STATES: readonly ReviewState[] = ['none', 'in-review', 'approved', 'sent-back'];

/** A remark in a paragraph's thread. */
export interface Comment {
  id: string;
  author: string;
  at: string;
  text: string;
  /** The review action it came with, if any (a send-back carries its reason). */
  action?: 'send-back' | 'approve' | 'submit' | 'reopen';
}

/** A finding of a check (fact guard, grammar flag) about a rewrite. */
export interface Finding {
  /** Id of the check that produced it, e.g. `numbers`. */
  check: string;
  severity: 'warning' | 'info';
  /** One line a person can act on. */
  message: string;
  /** Character ranges [start, end) in the text before the rewrite. */
  beforeSpans: Array<[number, number]>;
  /** Character ranges [start, end) in the rewritten text. */
  afterSpans: Array<[number, number]>;
}

/** What an MT check found wrong with the MT against its source. */
export type MtFlagKind = 'number' | 'magnitude' | 'name' | 'untranslated' | 'omission' | 'length' | 'term' | 'llm';

/**
 * An error an MT check (or the LLM annotator) found in the MT of a paragraph. Offsets are UTF-16
 * code units into the MT; `start === end` marks a point (something missing there).
 */
export interface MtFlag {
  start: number;
  end: number;
  kind: MtFlagKind;
  severity: 'major' | 'minor';
  /** One line that says what the source says: "source: 33.06万 = 330,600; MT: 33.06 million". */
  message: string;
  /** Id of the check that raised it, e.g. `mt-numbers`. */
  check: string;
  /** The counterpart in the source, UTF-16 offsets into the source, when there is one. */
  sourceSpans?: Array<[number, number]>;
  /** A replacement for MT[start, end) that the source proves (e.g. the corrected figure). */
  fix?: string;
}

/** Token counts reported by an LLM for one request. */
export interface TokenUsage {
  prompt: number;
  completion: number;
}

/** A proposed rewrite of one paragraph, produced by an engine. Immutable once stored. */
export interface Suggestion {
  id: string;
  paragraphId: string;
  /** Engine id, e.g. `offline` or `openai`. */
  engine: string;
  /** Model name, or the engine's version for non-LLM engines. */
  model: string;
  text: string;
  /** Text the engine was given; the diff is shown against the paragraph's current text. */
  basedOn: string;
  checks: Finding[];
  createdAt: string;
  /** Hash of the prompt template (LLM engines). */
  promptHash?: string;
  /** Edit level requested. */
  level?: 'minimal' | 'fluent';
  /** `retranslate`: made from the source text rather than by rewriting the MT (absent: rewrite). */
  task?: 'retranslate';
  usage?: TokenUsage;
  /** Batch run that produced it, if any. */
  runId?: string;
  /** Hash of the context the engine saw (neighbours, glossary, examples, source): part of the cache key. */
  contextHash?: string;
  /** Editors' earlier corrections given to the engine as examples. */
  examples?: Array<{ articleId: string; paragraphId: string }>;
}

export interface Paragraph {
  /** Stable id inside its article (`p1`, `p2`, …); never reused. */
  id: string;
  /** Position in the article, 0-based, counting deleted paragraphs too. */
  index: number;
  kind: ParagraphKind;
  /** Source-language text, when the article was imported with one. */
  source?: string;
  /** Human reference translation, for scoring only. */
  ref?: string;
  /** The machine translation as imported; never changes. Empty for paragraphs created by a split. */
  mt: string;
  /** Current text. */
  text: string;
  status: ParagraphStatus;
  /** Number of the latest revision; every action must name it as `baseRevision`. */
  revision: number;
  /** The latest suggestion, shown beside the text. */
  suggestion?: Suggestion;
  /** Fact-guard findings on the current text against the MT (after an edit or accept). */
  findings?: Finding[];
  /** Review state; absent means `none`. */
  review?: ReviewState;
  /** The latest revision's action, author and time (a conflict says who changed the paragraph, and when). */
  lastChange?: { action: RevisionAction; by: string; at: string };
  /** Who approved the paragraph and when, while it is approved (the lock message names them). */
  approval?: { by: string; at: string };
  /** The suggestion the editor rejected ('' when none was open): a later suggestion is shown again. */
  rejectedSuggestion?: string;
  /** The paragraph's comment thread, oldest first. */
  comments?: Comment[];
  /**
   * Inline codes of an imported file (XLIFF tags) that the text holds as ⟦n⟧ / ⟦/n⟧ markers, with their
   * original XML: see core/inlineCodes.ts. Absent when the paragraph has none.
   */
  codes?: InlineCode[];
  /** Where the paragraph came from in an imported XLIFF file; the XLIFF export writes it back there. */
  origin?: ParagraphOrigin;
}

/**
 * A paragraph's place in the XLIFF file it was imported from: its unit and, in a unit cut into
 * segments (1.2 `<mrk mtype="seg">`, 2.0 `<segment>`), its segment. Split-off paragraphs have none
 * and belong to the unit of the paragraph before them.
 */
export interface ParagraphOrigin {
  /** The `<file>`: its id (2.0) or `original` (1.2), for people; position among the files, 0-based. */
  file: string;
  fileAt: number;
  /** The unit's id, and its position among all units of the document (0-based): ids need not be unique. */
  unit: string;
  unitAt: number;
  /** The segment's id (2.0) or `mid` (1.2), and its position in the unit (0-based), when the unit is segmented. */
  segment?: string;
  segmentAt?: number;
  /** Whitespace around the text in the file (trimmed for editing), put back around a rewritten target. */
  pad?: [string, string];
  /** The unit (segment) had a non-empty target. */
  target: boolean;
  /** As imported: status, review and text (when it differed from the MT). The export rewrites only what changed since. */
  imported: { status: ParagraphStatus; review?: ReviewState; text?: string };
}

/** The file an article was imported from, kept so that an export can write back into it. */
export interface ArticleOriginal {
  format: 'xliff';
  version: '1.2' | '2.0';
  /** The file's text as uploaded (decoded, without its byte order mark). */
  text: string;
  /** How the bytes were encoded, and whether they started with a byte order mark. */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  bom: boolean;
}

export interface Article {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  /** sha256 of the imported MT (and source) text, to refuse duplicate imports. */
  contentHash: string;
  /** File name it was imported from, if any. */
  origin?: string;
  hasSource: boolean;
  hasReference: boolean;
  /** Language of the source text (BCP 47, `und` when unknown), recorded at import; absent in older articles. */
  sourceLang?: string;
  /** Language of the MT and the post-edited text (BCP 47, default `en`), recorded at import; absent in older articles. */
  targetLang?: string;
  paragraphs: Paragraph[];
  /** Next number for a new paragraph id. */
  nextParagraph: number;
  /** Recent actions, newest last, so they can be undone. */
  undo: UndoEntry[];
  /** LLM tokens spent on this article's suggestions. */
  usage?: TokenUsage;
  /** The uploaded XLIFF file, when the article came from one: see ArticleOriginal. */
  original?: ArticleOriginal;
}

/** Word-level size of a change between two texts. */
export interface DiffSummary {
  added: number;
  removed: number;
}

/** One stored state of a paragraph. Revisions are append-only. */
export interface Revision {
  /** 1-based, consecutive per paragraph. */
  n: number;
  paragraphId: string;
  action: RevisionAction;
  author: string;
  at: string;
  text: string;
  status: ParagraphStatus;
  /** Words added and removed against the previous revision. */
  diff: DiffSummary;
  suggestionId?: string;
  /** Revision restored by a revert or undo. */
  revertedTo?: number;
  /** Groups the revisions of one user action (a split touches two paragraphs). */
  op: string;
  /** Seconds from focusing the paragraph to the action, as measured by the page. */
  seconds?: number;
  /** Review state after the action, when it changed it. */
  review?: ReviewState;
  /** Comment made with the action (send-back reason, or a plain comment). */
  comment?: string;
}

/** What an undo needs to restore the paragraphs one action touched. */
export interface UndoEntry {
  op: string;
  action: RevisionAction;
  author: string;
  at: string;
  /**
   * The paragraphs as they were before the action, and the revision the action left each at. The
   * paragraphs it created are listed too (as they were created), so that undo can tell whether
   * someone changed them since; older entries lack them.
   */
  before: Array<{
    paragraphId: string;
    text: string;
    status: ParagraphStatus;
    revisionAfter: number;
    /** The revision the paragraph was at before the action; absent in older entries (there: `revisionAfter - 1`). */
    revisionBefore?: number;
    /** The suggestion the paragraph carried (null: none), for actions that change it; absent in older entries. */
    suggestion?: Suggestion | null;
    /** The kind, when the action changed it (a merge makes a heading body text). */
    kind?: ParagraphKind;
    /** The inline codes (null: none), when the action changed them (a merge adds the next paragraph's). */
    codes?: InlineCode[] | null;
  }>;
  /** Paragraphs the action created (by a split); undo deletes them. */
  created: string[];
}

/** The list page's view of an article. */
export interface ArticleSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  counts: Record<ParagraphStatus, number>;
  paragraphs: number;
  hasSource: boolean;
  /** Review status derived from the paragraphs (`approved` when all live paragraphs are). */
  review: 'not started' | 'in progress' | 'in review' | 'changes requested' | 'approved';
}

/** Acting user of a command. */
export interface Actor {
  username: string;
  role: Role;
}

export type Role = 'editor' | 'reviewer' | 'admin';
