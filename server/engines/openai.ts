/** Suggestions from any server speaking the OpenAI chat completions protocol (OpenAI, Ollama, vLLM, llama.cpp…). */
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { EngineAuthError, EngineError, EngineReplyError, toEngineError } from './errors.js';
import { isResponseFormatUnsupported, loadOpenAI } from './openaiSdk.js';
import { buildMessages, effectiveTask, parseReply, promptHash, RESPONSE_SCHEMA, RESPONSE_SCHEMA_NAME, type ReplyMode, type Task } from './prompt.js';
import type { EditLevel, Engine, SuggestRequest, SuggestResult } from './types.js';

export type ResponseMode = 'json_schema' | 'text' | 'auto';

export interface OpenAIEngineOptions {
  /** e.g. `http://127.0.0.1:11434/v1`; default the OpenAI API. */
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** `auto` tries json_schema and falls back to text for good when the server does not support it. */
  responseMode?: ResponseMode;
  temperature?: number;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Local servers (Ollama, llama.cpp) ignore the key, but the SDK insists on one. */
const PLACEHOLDER_KEY = 'not-needed';

/** Options of one request; `task` is beyond the Engine interface, for batch runs that retranslate. */
export interface OpenAISuggestOptions {
  signal?: AbortSignal;
  task?: Task;
}

export class OpenAIEngine implements Engine {
  readonly id = 'openai';
  /** Tasks this engine can do: batch runs check for `retranslate`. */
  readonly tasks: readonly Task[] = ['rewrite', 'retranslate'];
  readonly model: string;
  readonly baseURL: string;
  private readonly apiKey: string;
  private client: Promise<OpenAI> | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly temperature: number;
  private readonly auto: boolean;
  private mode: 'json_schema' | 'text';

  constructor(options: OpenAIEngineOptions) {
    this.model = options.model;
    this.baseURL = options.baseURL?.trim() || DEFAULT_BASE_URL;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.temperature = options.temperature ?? 0;
    const responseMode = options.responseMode ?? 'auto';
    this.auto = responseMode === 'auto';
    this.mode = responseMode === 'text' ? 'text' : 'json_schema';
    const apiKey = options.apiKey?.trim() || (options.baseURL?.trim() ? PLACEHOLDER_KEY : '');
    if (!apiKey) {
      throw new EngineAuthError('No API key for the OpenAI API: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server that needs none');
    }
    this.apiKey = apiKey;
  }

  /** The reply format in use now: `auto` settles on `text` after the server refuses json_schema. */
  promptHashFor(level: EditLevel, task: Task = 'rewrite'): string {
    return promptHash(level, this.mode === 'text' ? 'text' : 'json', task);
  }

  get responseMode(): 'json_schema' | 'text' {
    return this.mode;
  }

  describe(): string {
    return `Suggestions: ${this.model} via ${new URL(this.baseURL).host}`;
  }

  async suggest(request: SuggestRequest, options: OpenAISuggestOptions = {}): Promise<SuggestResult> {
    const mode = this.mode;
    const task = effectiveTask(request, options.task);
    try {
      return await this.complete(request, mode, task, options.signal);
    } catch (err) {
      if (this.auto && mode === 'json_schema' && isResponseFormatUnsupported(err)) {
        this.mode = 'text';
        try {
          return await this.complete(request, 'text', task, options.signal);
        } catch (retryErr) {
          throw this.engineError(retryErr);
        }
      }
      throw this.engineError(err);
    }
  }

  private engineError(err: unknown): EngineError {
    return toEngineError(err, { model: this.model, baseURL: this.baseURL, timeoutMs: this.timeoutMs });
  }

  ready(): Promise<OpenAI> {
    return this.sdk();
  }

  /** The OpenAI client (the SDK loaded on first use), also for the Files and Batches endpoints of batch-file runs. */
  sdk(): Promise<OpenAI> {
    // Explicit baseURL and key, so the SDK does not read them from the environment behind our back.
    return (this.client ??= loadOpenAI().then(({ default: SDK }) => new SDK({ baseURL: this.baseURL, apiKey: this.apiKey, timeout: this.timeoutMs, maxRetries: this.maxRetries })));
  }

  /** The chat completion body of one request, as a Batch API JSON Lines file holds it. */
  requestBody(request: SuggestRequest, task: Task = 'rewrite', mode: 'json_schema' | 'text' = this.mode): ChatCompletionCreateParamsNonStreaming {
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: this.model,
      messages: buildMessages(request, mode === 'json_schema' ? 'json' : 'text', effectiveTask(request, task)),
      temperature: this.temperature,
    };
    if (mode === 'json_schema') {
      params.response_format = {
        type: 'json_schema',
        json_schema: { name: RESPONSE_SCHEMA_NAME, strict: true, schema: RESPONSE_SCHEMA },
      };
    }
    return params;
  }

  /** The suggestion in a completion: from the API, or read back from a batch result file. */
  resultOf(completion: ChatCompletion, request: SuggestRequest, task: Task = 'rewrite', replyMode: ReplyMode = 'json'): SuggestResult {
    const text = parseReply(replyContent(completion), replyMode);
    const result: SuggestResult = {
      text,
      model: typeof completion.model === 'string' && completion.model ? completion.model : this.model,
      promptHash: promptHash(request.level, replyMode, effectiveTask(request, task)),
    };
    if (completion.usage) {
      result.usage = { prompt: completion.usage.prompt_tokens, completion: completion.usage.completion_tokens };
    }
    return result;
  }

  private async complete(request: SuggestRequest, mode: 'json_schema' | 'text', task: Task, signal?: AbortSignal): Promise<SuggestResult> {
    const client = await this.sdk();
    const completion: ChatCompletion = await client.chat.completions.create(this.requestBody(request, task, mode), {
      timeout: this.timeoutMs,
      maxRetries: this.maxRetries,
      ...(signal ? { signal } : {}),
    });
    return this.resultOf(completion, request, task, mode === 'json_schema' ? 'json' : 'text');
  }
}

/** The message content of the first choice, or an EngineReplyError saying why there is none. */
function replyContent(completion: ChatCompletion): string {
  // A server may answer 200 with a body that is not a completion at all.
  const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
  if (!choice) throw new EngineReplyError('The LLM server sent no completion choices: check that OPENAI_BASE_URL points at a chat completions API');
  if (choice.finish_reason === 'content_filter') {
    throw new EngineReplyError("The LLM server's content filter blocked the reply: edit this paragraph by hand");
  }
  const refusal = choice.message?.refusal;
  if (refusal) throw new EngineReplyError(`The model refused to rewrite the paragraph: "${refusal.replace(/\s+/g, ' ').slice(0, 120)}"`);
  if (choice.finish_reason === 'length') {
    throw new EngineReplyError('The LLM reply was cut off at its length limit: try a shorter paragraph or a model with a larger output limit');
  }
  return typeof choice.message?.content === 'string' ? choice.message.content : '';
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

/** Engine options from OPENAI_* variables, or null when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set. */
export function engineConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OpenAIEngineOptions | null {
  const apiKey = env.OPENAI_API_KEY?.trim();
  const baseURL = env.OPENAI_BASE_URL?.trim();
  if (!apiKey && !baseURL) return null;
  if (baseURL && !/^https?:$/.test(URL.parse(baseURL)?.protocol ?? '')) {
    throw new Error(`OPENAI_BASE_URL must be an http(s) URL such as http://127.0.0.1:11434/v1, got "${baseURL}"`);
  }
  const mode = env.OPENAI_RESPONSE_MODE?.trim();
  if (mode && mode !== 'auto' && mode !== 'json_schema' && mode !== 'text') {
    throw new Error(`OPENAI_RESPONSE_MODE must be auto, json_schema or text, got "${mode}"`);
  }
  const options: OpenAIEngineOptions = { model: env.OPENAI_MODEL?.trim() || 'gpt-4o-mini' };
  if (baseURL) options.baseURL = baseURL;
  if (apiKey) options.apiKey = apiKey;
  const timeoutMs = positiveInt(env, 'OPENAI_TIMEOUT_MS', 1);
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  const maxRetries = positiveInt(env, 'OPENAI_MAX_RETRIES', 0);
  if (maxRetries !== undefined) options.maxRetries = maxRetries;
  if (mode) options.responseMode = mode as ResponseMode;
  return options;
}
