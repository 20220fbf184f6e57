import OpenAI, { toFile } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMessages } from '../../server/engines/prompt.js';
import type { SuggestRequest } from '../../server/engines/types.js';
import { cleanParagraph, startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';

let server: OpenAIServer;
let client: OpenAI;
beforeEach(async () => {
  server = await startOpenAIServer();
  client = new OpenAI({ baseURL: server.url, apiKey: 'sk-test', maxRetries: 0, timeout: 5000 });
});
afterEach(async () => {
  await server.close();
});

function line(customId: string, text: string): string {
  const req: SuggestRequest = { paragraphId: customId, text, kind: 'body', level: 'minimal', context: { title: '', glossary: [] } };
  const body = { model: 'gpt-4o-mini', temperature: 0, messages: buildMessages(req, 'text') };
  return JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body });
}

describe('test OpenAI server: files and batches', () => {
  it('runs a batch round trip through the SDK', async () => {
    const jsonl = [line('p1', 'first  paragraph .'), line('p2', 'second paragraph'), line('p3', 'third')].join('\n');
    // Queued steps apply to batch lines too: the first line fails.
    server.enqueue({ type: 'error', status: 500, message: 'boom' });
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'input.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'input.jsonl', bytes: Buffer.byteLength(jsonl) });

    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(created.status).toBe('validating');

    const seen: string[] = [created.status];
    let batch = created;
    for (let i = 0; i < 5 && batch.status !== 'completed'; i++) {
      batch = await client.batches.retrieve(created.id);
      seen.push(batch.status);
    }
    expect(seen).toEqual(['validating', 'in_progress', 'completed']);
    expect(batch.request_counts).toEqual({ total: 3, completed: 2, failed: 1 });
    expect(batch.output_file_id).toBeTruthy();
    expect(batch.error_file_id).toBeTruthy();

    const output = await (await client.files.content(batch.output_file_id!)).text();
    const rows = output.trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; response: { status_code: number; body: { choices: Array<{ message: { content: string } }> } } });
    expect(rows.map((r) => r.custom_id)).toEqual(['p2', 'p3']);
    expect(rows[0]!.response.status_code).toBe(200);
    expect(rows[0]!.response.body.choices[0]!.message.content).toBe(cleanParagraph('second paragraph'));

    const errors = await (await client.files.content(batch.error_file_id!)).text();
    expect(JSON.parse(errors.trim())).toMatchObject({ custom_id: 'p1', response: { status_code: 500 } });
  });

  it('records requests with timing, and applies a fixed latency', async () => {
    await server.close();
    server = await startOpenAIServer({ latencyMs: 100 });
    client = new OpenAI({ baseURL: server.url, apiKey: 'sk-test', maxRetries: 0, timeout: 5000 });
    const started = Date.now();
    await Promise.all([1, 2, 3].map((n) => client.chat.completions.create({ model: 'm', temperature: 0, messages: [{ role: 'user', content: `hello ${n}` }] })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    const chats = server.chatRequests();
    expect(chats).toHaveLength(3);
    for (const r of chats) {
      expect(r.answeredAt! - r.at).toBeGreaterThanOrEqual(99);
      expect(r.headers.authorization).toBe('Bearer sk-test');
    }
  });

  it('answers unknown routes and files with OpenAI-style 404s', async () => {
    const res = await fetch(`${server.url}/files/nope/content`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
