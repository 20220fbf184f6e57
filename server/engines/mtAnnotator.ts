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
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { MtFlag, TokenUsage } from '../core/types.js';
import { EngineReplyError, toEngineError } from './errors.js';
import { Lru } from './lru.js';
import { placeErrors, plainLine } from './mtAnnotationFlags.js';
import {
  ANNOTATION_SCHEMA, ANNOTATION_SCHEMA_NAME, ANNOTATOR_PROMPT_VERSION, annotatorPromptHash, buildAnnotatorMessages,
  parseAnnotatorReply,
} from './mtAnnotatorPrompt.js';
import { OpenAIEngine, type OpenAIEngineOptions } from './openai.js';
import { isResponseFormatUnsupported } from './openaiSdk.js';
import type { ReplyMode } from './prompt.js';

export { llmCategoryOf, MT_LLM_CHECK, placeErrors, plainLine } from './mtAnnotationFlags.js';
export { mergeMtFlags } from './mtFlagMerge.js';

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

function replyContent(completion: ChatCompletion): string {
  const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
  if (!choice) throw new EngineReplyError('The LLM server sent no completion choices: check that OPENAI_BASE_URL points at a chat completions API');
  if (choice.finish_reason === 'content_filter') throw new EngineReplyError("The LLM server's content filter blocked the annotation");
  if (choice.message?.refusal) throw new EngineReplyError(`The model refused to annotate the paragraph: "${plainLine(choice.message.refusal).slice(0, 120)}"`);
  if (choice.finish_reason === 'length') throw new EngineReplyError('The LLM annotation was cut off at its length limit: try a model with a larger output limit');
  return typeof choice.message?.content === 'string' ? choice.message.content : '';
}

type Mode = 'json_schema' | 'text';
type Stored = Omit<MtAnnotation, 'cached'>;

export class MtAnnotator {
  readonly model: string;
  readonly baseURL: string;
  private readonly client: () => Promise<OpenAI>;
  private readonly timeoutMs: number;
  private readonly temperature: number;
  private readonly auto: boolean;
  private mode: Mode;
  private readonly cache: Lru<Stored>;

  constructor(options: MtAnnotatorOptions) {
    // The suggestion engine owns client construction (base URL, key rules, timeouts, retries).
    const engine = new OpenAIEngine(options);
    this.client = () => engine.sdk();
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
    const client = await this.client();
    const completion: ChatCompletion = await client.chat.completions.create(this.requestBody(mt, source, hints, mode), signal ? { signal } : {});
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
