/**
 * The LLM check over HTTP, through the real openai SDK against the local protocol server: spans the
 * model invents are dropped, the rest merge with the offline flags, a second check costs nothing,
 * and without an endpoint the button's route says so.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openaiServer.js';
import { corpusDir, startApp, tokenClient, type RunningApp } from '../support/app.js';

const id = 'wmt23-rfi-19792-en';
let llm: OpenAIServer;
let app: RunningApp;

beforeAll(async () => {
  llm = await startOpenAIServer();
  // Every paragraph: "Communist China" is a real span of the headline; "Atlantis" is in no MT.
  llm.setHandler(() => ({
    type: 'reply',
    content: JSON.stringify({
      errors: [
        { span: 'Communist China', source_span: '中共', category: 'accuracy/mistranslation', severity: 'major', explanation: '中共 is the CCP, not the country' },
        { span: 'Atlantis', source_span: '', category: 'accuracy/addition', severity: 'major', explanation: 'invented' },
      ],
    }),
  }));
  app = await startApp({ env: { ...process.env, OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'test-model', OPENAI_MAX_RETRIES: '0' } });
  await importFile(app.services, join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19792.en.txt'), { username: 'import', role: 'admin' });
});
afterAll(async () => {
  await app.close(true);
  await llm.close();
});

describe('the LLM check', () => {
  it('merges verified model spans into the offline flags and drops invented ones', async () => {
    const api = tokenClient(app, 'editor');
    const r = await api.post(`/api/articles/${id}/mt-flags/llm`, {});
    expect(r.status).toBe(200);
    expect(r.json.annotated).toBe(10);
    const requests = llm.chatRequests().length;
    expect(requests).toBe(10);

    const flags = await api.get(`/api/articles/${id}/mt-flags`);
    const headline = flags.json.paragraphs[0];
    const mt: string = (await api.get(`/api/articles/${id}`)).json.paragraphs[0].mt;
    const llmFlags = headline.mtFlags.filter((f: { check: string }) => f.check === 'mt-llm');
    expect(llmFlags.map((f: { start: number; end: number }) => mt.slice(f.start, f.end))).toEqual(['Communist China']);
    expect(llmFlags[0].message).toMatch(/CCP/);
    // The offline name flag is still there.
    expect(headline.mtFlags.some((f: { check: string }) => f.check === 'mt-names')).toBe(true);

    // Asked again: answered from the cache, no new request.
    await api.post(`/api/articles/${id}/mt-flags/llm`, {});
    expect(llm.chatRequests().length).toBe(requests);
  });

  it('sends the article text as quoted data', async () => {
    const body = llm.chatRequests()[0]!.body as { messages: Array<{ content: string }>; temperature: number };
    expect(body.temperature).toBe(0);
    const user = body.messages.at(-1)!.content;
    expect(user).toContain(JSON.stringify('US and Fiji reach defense consensus against Communist China'));
  });
});

describe('the LLM check without an endpoint', () => {
  it('is refused with a reason', async () => {
    const plain = await startApp();
    try {
      const r = await tokenClient(plain, 'editor').post(`/api/articles/${id}/mt-flags/llm`, {});
      expect(r.status).toBe(409);
      expect(r.json.error).toMatch(/no LLM endpoint/);
    } finally {
      await plain.close(true);
    }
  });
});
