/** The suggestion engine interface: every engine (offline, OpenAI-compatible LLM, …) implements it. */
import type { MtFlag, ParagraphKind, TokenUsage } from '../core/types.js';
import type { GlossaryEntry } from '../core/glossary.js';

import type { EditLevel } from '../core/types.js';
export type { EditLevel };

/** An editor's earlier correction, shown to an LLM as an example of the desk's choices. */
export interface DeskExample {
  mt: string;
  final: string;
}

export interface SuggestContext {
  /** Article title. */
  title: string;
  /** Current text of the paragraph before and after, when there is one. */
  previous?: string;
  next?: string;
  glossary: GlossaryEntry[];
  styleGuide?: string;
  examples?: DeskExample[];
  /**
   * What the MT checks found in the paragraph's current text against its source, offsets into that
   * text: hints for an LLM, and the fixes the source proves for the offline engine.
   */
  checks?: MtFlag[];
}

export interface SuggestRequest {
  paragraphId: string;
  /**
   * Current text of the paragraph: what the engine improves. It may hold inline codes as ⟦n⟧ / ⟦/n⟧
   * markers (core/inlineCodes.ts); an engine must return each of them once, in place.
   */
  text: string;
  kind: ParagraphKind;
  /** Source-language paragraph, when the article has one. */
  source?: string;
  /** Language of the text (BCP 47; default `en`): the offline engine applies only glossary wording in it. */
  targetLang?: string;
  level: EditLevel;
  context: SuggestContext;
}

export interface SuggestResult {
  text: string;
  model: string;
  usage?: TokenUsage;
  /** Hash of the prompt template used (LLM engines). */
  promptHash?: string;
}

export interface Engine {
  /** Stable id stored with suggestions: `offline`, `openai`. */
  id: string;
  /** Model name, or a version for engines without a model. */
  model: string;
  /** One line for every page, e.g. "Suggestions: gpt-4o-mini via api.openai.com". */
  describe(): string;
  suggest(request: SuggestRequest, options?: { signal?: AbortSignal }): Promise<SuggestResult>;
  /** Resolves once a request can leave at once (the OpenAI engine: its SDK loaded, see openaiSdk.ts). A
   *  rate-limited run waits for it before taking a slot, so its first requests do not all leave together
   *  when the load ends. */
  ready?(): Promise<unknown>;
  /** Hash of the prompt the engine would use now (LLM engines): a cached suggestion made with another is stale. */
  promptHashFor?(level: EditLevel, task?: 'rewrite' | 'retranslate'): string;
}
