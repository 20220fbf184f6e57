/**
 * A real HTTP server speaking the OpenAI wire protocol, scriptable per test:
 * chat completions, and minimal Files and Batches endpoints.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessageBody {
  role: string;
  content?: unknown;
}

export interface ChatRequestBody {
  model?: string;
  messages?: ChatMessageBody[];
  temperature?: number;
  response_format?: { type?: string; json_schema?: { name?: string; strict?: boolean; schema?: unknown } };
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Raw body as text (multipart uploads included). */
  raw: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  /** Date.now() when the request had arrived in full. */
  at: number;
  /** Date.now() when the answer was sent; unset while unanswered (hang). */
  answeredAt?: number;
  /** Status code answered. */
  status?: number;
}

/** What the server does with one chat completion request. */
export type Step =
  /** A completion. `text` is wrapped as {"text": …} when the request asked for json_schema; `content` is sent as is. */
  | { type: 'reply'; text?: string; content?: string | null; finishReason?: string; refusal?: string; model?: string; latencyMs?: number; noUsage?: boolean }
  | { type: 'error'; status: number; message?: string; errorType?: string; code?: string | null; param?: string | null; headers?: Record<string, string> }
  /** 429 with Retry-After (seconds) and/or retry-after-ms. */
  | { type: 'rateLimit'; retryAfter?: number | string; retryAfterMs?: number; message?: string }
  /** Never answer until the server closes. */
  | { type: 'hang' }
  /** 200 with a body that is not valid JSON. */
  | { type: 'malformed'; body?: string; contentType?: string }
  /** 400 as servers answer when they do not support response_format json_schema. */
  | { type: 'unsupportedResponseFormat' };

export type ChatHandler = (body: ChatRequestBody, request: RecordedRequest) => Step | Promise<Step>;

export interface OpenAIServerOptions {
  /** Delay before every chat completion answer (benchmarks). */
  latencyMs?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get 401. */
  apiKey?: string;
  /** When set, other models get 404 model_not_found. */
  models?: string[];
  /** false: every request with response_format json_schema gets 400, like servers without structured outputs. */
  jsonSchema?: boolean;
}

export interface StoredFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  content: string;
}

export interface StoredBatch {
  id: string;
  object: 'batch';
  endpoint: string;
  input_file_id: string;
  completion_window: string;
  status: 'validating' | 'in_progress' | 'finalizing' | 'completed' | 'failed' | 'cancelling' | 'cancelled';
  created_at: number;
  in_progress_at?: number;
  completed_at?: number;
  cancelled_at?: number;
  output_file_id?: string;
  error_file_id?: string;
  metadata?: unknown;
  request_counts: { total: number; completed: number; failed: number };
  errors?: unknown;
}

export interface OpenAIServer {
  /** Base URL ending in /v1. */
  url: string;
  requests: RecordedRequest[];
  /** Only the POST /v1/chat/completions requests. */
  chatRequests(): RecordedRequest[];
  /** Steps are used in order by the next chat completions (HTTP or batch lines); then the handler answers. */
  enqueue(...steps: Step[]): void;
  setHandler(fn: ChatHandler): void;
  files: Map<string, StoredFile>;
  batches: Map<string, StoredBatch>;
  close(): Promise<void>;
}

/** The paragraph from Postedit's prompt (`<paragraph …>"json"</paragraph>`), else the last user message. */
export function extractParagraph(body: ChatRequestBody): string {
  const users = (body.messages ?? []).filter((m) => m.role === 'user');
  const last = users[users.length - 1]?.content;
  const content = typeof last === 'string' ? last : '';
  const m = /<paragraph[^>]*>\s*("(?:[^"\\]|\\.)*")\s*<\/paragraph>/.exec(content);
  if (m?.[1]) {
    try {
      return String(JSON.parse(m[1]));
    } catch {
      // fall through to the whole message
    }
  }
  return content;
}

/** The default handler's deterministic "edit": collapse spaces, no space before punctuation, capital first letter. */
export function cleanParagraph(text: string): string {
  const t = text.replace(/\s+/g, ' ').replace(/\s+([,.;:!?])/g, '$1').trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export const defaultHandler: ChatHandler = (body) => ({ type: 'reply', text: cleanParagraph(extractParagraph(body)) });

function wantsJsonSchema(body: ChatRequestBody): boolean {
  return body.response_format?.type === 'json_schema';
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

interface Outcome {
  status: number;
  headers: Record<string, string>;
  body: string;
  latencyMs?: number;
}

function approxTokens(s: string): number {
  return Math.max(1, Math.ceil(s.length / 4));
}

export async function startOpenAIServer(opts: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  const requests: RecordedRequest[] = [];
  const queue: Step[] = [];
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, StoredBatch>();
  const timers = new Set<NodeJS.Timeout>();
  let handler: ChatHandler = defaultHandler;
  let seq = 0;
  let closed = false;
  const nextId = (prefix: string) => `${prefix}-${++seq}`;
  const now = () => Math.floor(Date.now() / 1000);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function completion(body: ChatRequestBody, step: Extract<Step, { type: 'reply' }>): string {
    let content: string | null;
    if (step.content !== undefined) content = step.content;
    else {
      const text = step.text ?? cleanParagraph(extractParagraph(body));
      content = wantsJsonSchema(body) ? JSON.stringify({ text }) : text;
    }
    const promptText = (body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    const prompt = approxTokens(promptText);
    const done = approxTokens(content ?? '');
    return JSON.stringify({
      id: nextId('chatcmpl'),
      object: 'chat.completion',
      created: now(),
      model: step.model ?? body.model ?? 'test-model',
      choices: [{
        index: 0,
        message: { role: 'assistant', content, refusal: step.refusal ?? null },
        logprobs: null,
        finish_reason: step.finishReason ?? 'stop',
      }],
      ...(step.noUsage ? {} : { usage: { prompt_tokens: prompt, completion_tokens: done, total_tokens: prompt + done } }),
    });
  }

  /** Answers one chat completion body; null means hang. */
  async function chatOutcome(body: ChatRequestBody, rec: RecordedRequest): Promise<Outcome | null> {
    const json = { 'content-type': 'application/json' };
    const auth = rec.headers.authorization;
    if (opts.apiKey !== undefined && auth !== `Bearer ${opts.apiKey}`) {
      return { status: 401, headers: json, body: errorBody('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key') };
    }
    let step = queue.shift();
    if (!step) {
      if (opts.models && !opts.models.includes(String(body.model))) {
        return {
          status: 404,
          headers: json,
          body: errorBody(`The model \`${String(body.model)}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'),
        };
      }
      if (opts.jsonSchema === false && wantsJsonSchema(body)) step = { type: 'unsupportedResponseFormat' };
      else step = await handler(body, rec);
    }
    switch (step.type) {
      case 'reply':
        return { status: 200, headers: json, body: completion(body, step), latencyMs: step.latencyMs ?? opts.latencyMs };
      case 'error': {
        const type = step.errorType ?? (step.status >= 500 ? 'server_error' : 'invalid_request_error');
        return { status: step.status, headers: { ...json, ...step.headers }, body: errorBody(step.message ?? `Error ${step.status}`, type, step.code ?? null, step.param ?? null) };
      }
      case 'rateLimit': {
        const headers: Record<string, string> = { ...json };
        if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
        if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs);
        return { status: 429, headers, body: errorBody(step.message ?? 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded') };
      }
      case 'hang':
        return null;
      case 'malformed':
        return { status: 200, headers: { 'content-type': step.contentType ?? 'application/json' }, body: step.body ?? '{"id": "chatcmpl-x", "choices": [' };
      case 'unsupportedResponseFormat':
        return {
          status: 400,
          headers: json,
          body: errorBody("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", 'invalid_request_error', null, 'response_format'),
        };
    }
  }

  async function runBatch(batch: StoredBatch): Promise<void> {
    const input = files.get(batch.input_file_id)?.content ?? '';
    const lines = input.split('\n').filter((l) => l.trim());
    batch.request_counts.total = lines.length;
    const ok: string[] = [];
    const failed: string[] = [];
    for (const line of lines) {
      if (batch.status === 'cancelling') break;
      let item: { custom_id?: string; body?: ChatRequestBody } = {};
      try {
        item = JSON.parse(line) as typeof item;
      } catch {
        // an unparseable line fails below
      }
      const rec: RecordedRequest = { method: 'POST', path: batch.endpoint, headers: {}, raw: line, body: item.body, at: Date.now() };
      const out = item.body ? await chatOutcome(item.body, rec) : { status: 400, headers: {}, body: errorBody('Invalid JSONL line', 'invalid_request_error', null) };
      const status = out?.status ?? 504;
      const resultBody: unknown = out ? safeJson(out.body) ?? out.body : JSON.parse(errorBody('Request timed out', 'server_error', null));
      const entry = JSON.stringify({ id: nextId('batch_req'), custom_id: item.custom_id ?? null, response: { status_code: status, request_id: nextId('req'), body: resultBody }, error: null });
      if (status >= 200 && status < 300) {
        ok.push(entry);
        batch.request_counts.completed++;
      } else {
        failed.push(entry);
        batch.request_counts.failed++;
      }
    }
    if (closed) return;
    const store = (name: string, rows: string[]) => {
      const content = rows.map((r) => `${r}\n`).join('');
      const file: StoredFile = { id: nextId('file'), object: 'file', bytes: Buffer.byteLength(content), created_at: now(), filename: name, purpose: 'batch_output', status: 'processed', content };
      files.set(file.id, file);
      return file.id;
    };
    if (ok.length) batch.output_file_id = store(`${batch.id}_output.jsonl`, ok);
    if (failed.length) batch.error_file_id = store(`${batch.id}_error.jsonl`, failed);
    if (batch.status === 'cancelling') {
      batch.status = 'cancelled';
      batch.cancelled_at = now();
    } else {
      batch.status = 'completed';
      batch.completed_at = now();
    }
  }

  const processing = new Map<string, Promise<void>>();

  async function route(req: IncomingMessage, rec: RecordedRequest, rawBytes: Buffer): Promise<Outcome | null> {
    const json = { 'content-type': 'application/json' };
    const notFound = (what: string) => ({ status: 404, headers: json, body: errorBody(`No such ${what}`, 'invalid_request_error', null) });
    const { method, path } = rec;
    if (method === 'POST' && path === '/v1/chat/completions') {
      if (!rec.body || typeof rec.body !== 'object') {
        return { status: 400, headers: json, body: errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null) };
      }
      return chatOutcome(rec.body as ChatRequestBody, rec);
    }
    if (method === 'GET' && path === '/v1/models') {
      const data = (opts.models ?? ['test-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' }));
      return { status: 200, headers: json, body: JSON.stringify({ object: 'list', data }) };
    }
    if (method === 'POST' && path === '/v1/files') {
      const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: new Uint8Array(rawBytes) }).formData();
      const upload = form.get('file');
      if (!upload || typeof upload === 'string') return { status: 400, headers: json, body: errorBody("Missing 'file'", 'invalid_request_error', null, 'file') };
      const content = await upload.text();
      const file: StoredFile = {
        id: nextId('file'), object: 'file', bytes: Buffer.byteLength(content), created_at: now(),
        filename: upload.name, purpose: String(form.get('purpose') ?? ''), status: 'processed', content,
      };
      files.set(file.id, file);
      const { content: _omit, ...object } = file;
      return { status: 200, headers: json, body: JSON.stringify(object) };
    }
    const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    if (method === 'GET' && fileMatch) {
      const file = files.get(decodeURIComponent(fileMatch[1] ?? ''));
      if (!file) return notFound('file');
      if (fileMatch[2]) return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: file.content };
      const { content: _omit, ...object } = file;
      return { status: 200, headers: json, body: JSON.stringify(object) };
    }
    if (method === 'POST' && path === '/v1/batches') {
      const b = (rec.body ?? {}) as { input_file_id?: string; endpoint?: string; completion_window?: string; metadata?: unknown };
      if (!b.input_file_id || !files.has(b.input_file_id)) return notFound('file');
      if (b.endpoint !== '/v1/chat/completions') {
        return { status: 400, headers: json, body: errorBody('Only /v1/chat/completions is supported', 'invalid_request_error', null, 'endpoint') };
      }
      const batch: StoredBatch = {
        id: nextId('batch'), object: 'batch', endpoint: b.endpoint, input_file_id: b.input_file_id,
        completion_window: b.completion_window ?? '24h', status: 'validating', created_at: now(),
        metadata: b.metadata ?? null, request_counts: { total: 0, completed: 0, failed: 0 },
      };
      batches.set(batch.id, batch);
      return { status: 200, headers: json, body: JSON.stringify(batch) };
    }
    const batchMatch = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    if (batchMatch) {
      const batch = batches.get(decodeURIComponent(batchMatch[1] ?? ''));
      if (!batch) return notFound('batch');
      if (method === 'GET' && !batchMatch[2]) {
        // Each poll moves a validating batch on, so a client sees validating → in_progress → completed.
        if (batch.status === 'validating') {
          batch.status = 'in_progress';
          batch.in_progress_at = now();
          processing.set(batch.id, runBatch(batch));
        } else if (batch.status === 'in_progress' || batch.status === 'cancelling') {
          await processing.get(batch.id);
        }
        return { status: 200, headers: json, body: JSON.stringify(batch) };
      }
      if (method === 'POST' && batchMatch[2]) {
        if (batch.status === 'validating') {
          batch.status = 'cancelled';
          batch.cancelled_at = now();
        } else if (batch.status === 'in_progress') batch.status = 'cancelling';
        return { status: 200, headers: json, body: JSON.stringify(batch) };
      }
    }
    return { status: 404, headers: json, body: errorBody(`Unknown route ${method} ${path}`, 'invalid_request_error', 'unknown_url') };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: req.headers,
      raw,
      body: safeJson(raw),
      at: Date.now(),
    };
    requests.push(rec);
    const out = await route(req, rec, rawBytes);
    if (!out) return; // hang: the socket stays open until close()
    if (out.latencyMs) await sleep(out.latencyMs);
    if (closed || res.destroyed) return;
    rec.status = out.status;
    rec.answeredAt = Date.now();
    res.writeHead(out.status, out.headers);
    res.end(out.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(errorBody(`Test server failure: ${String(err)}`, 'server_error', null));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions'),
    enqueue: (...steps) => void queue.push(...steps),
    setHandler: (fn) => {
      handler = fn;
    },
    files,
    batches,
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeJson(s: string): unknown {
  if (!s) return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}
