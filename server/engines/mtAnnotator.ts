/**
 * LLM annotation of an MT paragraph: an OpenAI-compatible model lists the MT's error spans
 * (GEMBA-MQM style), every span is looked up in the MT — a span that is not there is dropped, never
 * guessed — and the result is kept in a bounded in-memory cache keyed by everything it depends on.
 *
 * Failures reject with an EngineError (see errors.ts): a reply that is not the JSON asked for is an
 * EngineReplyError; SDK errors are mapped by toEngineError, so messages name the host and the
 * setting to check, never the key. Failed requests are not cached.
 */
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { MtFlag, MtFlagKind, TokenUsage } from '../core/types.js';
import { EngineReplyError, toEngineError } from './errors.js';
import {
  ANNOTATION_SCHEMA, ANNOTATION_SCHEMA_NAME, ANNOTATOR_PROMPT_VERSION, annotatorPromptHash, buildAnnotatorMessages,
  parseAnnotatorReply, type MqmCategory, type RawMqmError,
} from './mtAnnotatorPrompt.js';
import { SpanPlacer } from './mtSpans.js';
import { OpenAIEngine, type OpenAIEngineOptions } from './openai.js';
import type { ReplyMode } from './prompt.js';

export const MT_LLM_CHECK = 'mt-llm';

export interface MtAnnotation {
  /** Verified flags, sorted by start: `kind: 'llm'`, `check: 'mt-llm'`. */
  flags: MtFlag[];
  usage?: TokenUsage;
  /** Errors the model reported that could not be placed (span not in the MT, malformed item). */
  dropped: number;
  model: string;
  /** Prompt hash of the reply mode used. */
  promptHash: string;
  /** Answered from the cache: no request was made (and no tokens spent: no `usage`). */
  cached: boolean;
}

export interface AnnotateOptions {
  /** Offline MT flags of the paragraph, given to the model as hints to verify. */
  hints?: MtFlag[];
  signal?: AbortSignal;
}

export interface MtAnnotatorOptions extends OpenAIEngineOptions {
  /** Annotations remembered; the least recently used is forgotten first. Default 2,000. */
  cacheSize?: number;
}

/** What one annotation depends on: its cache key. Stable across runs, so it can be persisted. */
export interface AnnotationKeyParts {
  mt: string;
  source: string | undefined;
  model: string;
  promptHash: string;
  hints?: readonly MtFlag[];
}

export function annotationCacheKey(parts: AnnotationKeyParts): string {
  const hints = (parts.hints ?? []).map((f) => [f.start, f.end, f.kind, f.severity, f.message]);
  const data = [parts.mt, parts.source?.trim() ? parts.source : null, parts.model, parts.promptHash, hints];
  return createHash('sha256').update(JSON.stringify(data)).digest('base64url');
}

/** Short labels that start each message; also how mergeMtFlags tells a flag's category. */
const LABELS: Record<MqmCategory, string> = {
  'accuracy/mistranslation': 'Mistranslation',
  'accuracy/omission': 'Omission',
  'accuracy/addition': 'Addition',
  'accuracy/untranslated': 'Untranslated',
  terminology: 'Terminology',
  'fluency/grammar': 'Grammar',
  'fluency/spelling': 'Spelling',
  'fluency/punctuation': 'Punctuation',
  'fluency/register': 'Register',
  'style/awkward': 'Awkward',
  other: 'Other',
};

/** Offline flag kinds that find the same errors as an LLM category: an overlap of the two is one error. */
const SAME_NATURE: Record<MqmCategory, readonly MtFlagKind[]> = {
  'accuracy/mistranslation': ['number', 'magnitude', 'name', 'term'],
  'accuracy/omission': ['omission', 'length', 'number', 'name'],
  'accuracy/addition': ['number', 'magnitude', 'name', 'length'],
  'accuracy/untranslated': ['untranslated'],
  terminology: ['term', 'name'],
  'fluency/grammar': [],
  'fluency/spelling': [],
  'fluency/punctuation': ['untranslated'],
  'fluency/register': [],
  'style/awkward': [],
  other: [],
};

const MAX_MESSAGE = 200;
/** Control characters, zero-width and bidirectional formatting characters. */
const UNSAFE = /[\p{Cc}\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

/** One line of plain text: no control or bidi characters, no runs of spaces, at most MAX_MESSAGE long. */
export function plainLine(s: string): string {
  const flat = s.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

function messageOf(e: RawMqmError): string {
  const label = LABELS[e.category];
  const why = plainLine(e.explanation) || (e.span.trim() ? `"${plainLine(e.span)}"` : 'no explanation given');
  return plainLine(`${label}: ${why}`);
}

/** The category of an LLM flag, read back from its message label; undefined for other flags. */
export function llmCategoryOf(flag: MtFlag): MqmCategory | undefined {
  if (flag.kind !== 'llm') return undefined;
  const label = flag.message.split(':', 1)[0];
  return (Object.keys(LABELS) as MqmCategory[]).find((c) => LABELS[c] === label);
}

/**
 * Where in the MT the content of a source span would go, when the model gives no MT span for an
 * omission: the same relative position, moved to the nearest word end.
 */
function omissionPoint(mt: string, source: string, [start, end]: [number, number]): number {
  const guess = Math.round((((start + end) / 2) / Math.max(1, source.length)) * mt.length);
  const isWordEnd = (i: number) => i === 0 || i === mt.length || /\s/.test(mt[i]!);
  for (let d = 0; d <= mt.length; d++) {
    if (guess - d >= 0 && isWordEnd(guess - d)) return guess - d;
    if (guess + d <= mt.length && isWordEnd(guess + d)) return guess + d;
  }
  return mt.length;
}

/** Flags for the errors whose spans occur; the rest are counted as dropped. */
export function placeErrors(mt: string, source: string | undefined, errors: readonly RawMqmError[]): { flags: MtFlag[]; dropped: number } {
  const inMt = new SpanPlacer(mt);
  const inSource = source?.trim() ? new SpanPlacer(source) : undefined;
  const flags: MtFlag[] = [];
  let dropped = 0;
  for (const e of errors) {
    const src = inSource && e.sourceSpan.trim() ? inSource.place(e.sourceSpan) : null;
    let range: [number, number] | null;
    if (e.span.trim()) range = inMt.place(e.span);
    else if (e.category === 'accuracy/omission' && src && source) {
      const at = omissionPoint(mt, source, src);
      range = [at, at];
    } else range = null;
    if (!range) {
      dropped++;
      continue;
    }
    flags.push({
      start: range[0],
      end: range[1],
      kind: 'llm',
      severity: e.severity,
      message: messageOf(e),
      check: MT_LLM_CHECK,
      ...(src ? { sourceSpans: [src] } : {}),
    });
  }
  return { flags: sortFlags(flags), dropped };
}

function sortFlags(flags: MtFlag[]): MtFlag[] {
  return flags.sort((a, b) => a.start - b.start || a.end - b.end);
}

function rangesMeet(a: [number, number], b: [number, number]): boolean {
  if (a[0] < b[1] && b[0] < a[1]) return true;
  if (a[0] === a[1]) return a[0] >= b[0] && a[0] <= b[1];
  if (b[0] === b[1]) return b[0] >= a[0] && b[0] <= a[1];
  return false;
}

/** Same place: the MT ranges meet, or both point at source text that overlaps. */
function samePlace(a: MtFlag, b: MtFlag): boolean {
  if (rangesMeet([a.start, a.end], [b.start, b.end])) return true;
  return (a.sourceSpans ?? []).some((s) => (b.sourceSpans ?? []).some((t) => s[0] < t[1] && t[0] < s[1]));
}

/**
 * Offline flags and LLM flags as one list sorted by start: every offline flag, and the LLM flags
 * that do not repeat one — an LLM flag is dropped when it meets an offline flag of the same nature
 * (a mistranslation on a flagged number, an omission where the omission check points).
 */
export function mergeMtFlags(offline: readonly MtFlag[], llm: readonly MtFlag[]): MtFlag[] {
  const kept = llm.filter((f) => {
    const nature = SAME_NATURE[llmCategoryOf(f) ?? 'other'];
    return !offline.some((o) => nature.includes(o.kind) && samePlace(f, o));
  });
  return sortFlags([...offline, ...kept]);
}

/** True for a 400/422 whose message says the server does not support response_format / json_schema. */
function isResponseFormatUnsupported(err: unknown): boolean {
  if (!(err instanceof OpenAI.APIError) || (err.status !== 400 && err.status !== 422)) return false;
  return /response_format|json_schema/i.test(`${err.message} ${err.param ?? ''}`);
}

function replyContent(completion: ChatCompletion): string {
  const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
  if (!choice) throw new EngineReplyError('The LLM server sent no completion choices: check that OPENAI_BASE_URL points at a chat completions API');
  if (choice.finish_reason === 'content_filter') throw new EngineReplyError("The LLM server's content filter blocked the annotation");
  if (choice.message?.refusal) throw new EngineReplyError(`The model refused to annotate the paragraph: "${plainLine(choice.message.refusal).slice(0, 120)}"`);
  if (choice.finish_reason === 'length') throw new EngineReplyError('The LLM annotation was cut off at its length limit: try a model with a larger output limit');
  return typeof choice.message?.content === 'string' ? choice.message.content : '';
}

/** A bounded map that forgets the least recently used entry first. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number {
    return this.map.size;
  }
}

type Mode = 'json_schema' | 'text';
type Stored = Omit<MtAnnotation, 'cached'>;

export class MtAnnotator {
  readonly model: string;
  readonly baseURL: string;
  private readonly client: OpenAI;
  private readonly timeoutMs: number;
  private readonly temperature: number;
  private readonly auto: boolean;
  private mode: Mode;
  private readonly cache: Lru<Stored>;

  constructor(options: MtAnnotatorOptions) {
    // The suggestion engine owns client construction (base URL, key rules, timeouts, retries).
    const engine = new OpenAIEngine(options);
    this.client = engine.sdk;
    this.model = engine.model;
    this.baseURL = engine.baseURL;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.temperature = options.temperature ?? 0;
    const responseMode = options.responseMode ?? 'auto';
    this.auto = responseMode === 'auto';
    this.mode = responseMode === 'text' ? 'text' : 'json_schema';
    this.cache = new Lru(Math.max(1, options.cacheSize ?? 2000));
  }

  /** Hash of the prompt in use now (`auto` settles on text after the server refuses json_schema). */
  get promptHash(): string {
    return annotatorPromptHash(replyMode(this.mode));
  }

  /** Stable id of what produced the flags: prompt version, prompt hash and model. */
  get version(): string {
    return `${ANNOTATOR_PROMPT_VERSION}:${this.promptHash}:${this.model}`;
  }

  get responseMode(): Mode {
    return this.mode;
  }

  /** Annotations in the cache now. */
  get cacheSize(): number {
    return this.cache.size;
  }

  cacheKey(mt: string, source: string | undefined, hints?: readonly MtFlag[]): string {
    return annotationCacheKey({ mt, source, model: this.model, promptHash: this.promptHash, ...(hints ? { hints } : {}) });
  }

  describe(): string {
    return `MT annotation: ${this.model} via ${new URL(this.baseURL).host}`;
  }

  /** The request body for one paragraph (also what a Batch API file would hold). */
  requestBody(mt: string, source: string | undefined, hints: readonly MtFlag[] = [], mode: Mode = this.mode): ChatCompletionCreateParamsNonStreaming {
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: this.model,
      messages: buildAnnotatorMessages(mt, source, hints, replyMode(mode)),
      temperature: this.temperature,
    };
    if (mode === 'json_schema') {
      params.response_format = { type: 'json_schema', json_schema: { name: ANNOTATION_SCHEMA_NAME, strict: true, schema: ANNOTATION_SCHEMA } };
    }
    return params;
  }

  async annotate(mt: string, source: string | undefined, options: AnnotateOptions = {}): Promise<MtAnnotation> {
    const hints = options.hints ?? [];
    if (!mt.trim()) return { flags: [], dropped: 0, model: this.model, promptHash: this.promptHash, cached: false };
    const hit = this.cache.get(this.cacheKey(mt, source, hints));
    if (hit) return { flags: hit.flags.map((f) => ({ ...f })), dropped: hit.dropped, model: hit.model, promptHash: hit.promptHash, cached: true };

    const mode = this.mode;
    let result: Stored;
    try {
      result = await this.request(mt, source, hints, mode, options.signal);
    } catch (err) {
      if (!(this.auto && mode === 'json_schema' && isResponseFormatUnsupported(err))) throw this.engineError(err);
      this.mode = 'text';
      try {
        result = await this.request(mt, source, hints, 'text', options.signal);
      } catch (retryErr) {
        throw this.engineError(retryErr);
      }
    }
    this.cache.set(annotationCacheKey({ mt, source, model: this.model, promptHash: result.promptHash, hints }), result);
    return { ...result, flags: result.flags.map((f) => ({ ...f })), cached: false };
  }

  private engineError(err: unknown) {
    return toEngineError(err, { model: this.model, baseURL: this.baseURL, timeoutMs: this.timeoutMs });
  }

  private async request(mt: string, source: string | undefined, hints: readonly MtFlag[], mode: Mode, signal?: AbortSignal): Promise<Stored> {
    const completion: ChatCompletion = await this.client.chat.completions.create(this.requestBody(mt, source, hints, mode), signal ? { signal } : {});
    const { errors, malformed } = parseAnnotatorReply(replyContent(completion), replyMode(mode));
    const { flags, dropped } = placeErrors(mt, source, errors);
    const result: Stored = { flags, dropped: dropped + malformed, model: this.model, promptHash: annotatorPromptHash(replyMode(mode)) };
    if (completion.usage) result.usage = { prompt: completion.usage.prompt_tokens, completion: completion.usage.completion_tokens };
    return result;
  }
}

function replyMode(mode: Mode): ReplyMode {
  return mode === 'json_schema' ? 'json' : 'text';
}

/** An annotator for an OpenAI-compatible endpoint: the same options as the suggestion engine (see engineConfigFromEnv). */
export function createMtAnnotator(options: MtAnnotatorOptions): MtAnnotator {
  return new MtAnnotator(options);
}
