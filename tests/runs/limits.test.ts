import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../server/runs/startRun.js';
import { runBatch } from '../../server/runs/runBatch.js';
import type { Run } from '../../server/store/runStore.js';
import type { OpenAIServer } from '../support/openaiServer.js';
import { eachTestWithServer, importWmt, runProps, type Setup } from './helpers.js';

// Limits measured where they matter: at the server, from the arrival time of each request.
let server: OpenAIServer;
let s: Setup;
eachTestWithServer((started, set) => {
  server = started;
  s = set;
});


async function execute(runId: string): Promise<Run> {
  const run = (await s.runStore.getRun(runId))!;
  return runBatch({ services: s.services, runStore: s.runStore, runId, engine: s.ctx.engineFor('openai', run.model), retry: { baseMs: 10, maxMs: 50 } });
}

describe('rate limits and Retry-After', () => {
  it('keeps the requests-per-minute limit, as the server measures it', async () => {
    const id = await importWmt(s.services);
    // One request every 100 ms: a request held up on a busy machine (3 test workers on 2 cores) for
    // more than a spacing would look like a burst; 50 ms was once 1 ms short under the full suite.
    const rpm = 600;
    const { run } = await prepareRun(s.ctx, runProps({ articles: [id], concurrency: 8, rpm }));
    const final = await execute(run.id);
    expect(final.counts.done).toBe(9);
    const at = server.chatRequests().map((r) => r.at);
    const spacing = 60_000 / rpm;
    // No stretch of time holds more requests than the rate allows, give or take one (a request held
    // up on its way, e.g. while opening the connection, arrives close to the next), and 1 ms for
    // Date.now()'s whole milliseconds. Without the limiter the first 8 would all arrive at once.
    for (let i = 0; i < at.length; i++) {
      for (let j = i + 1; j < at.length; j++) expect(at[j]! - at[i]!).toBeGreaterThanOrEqual((j - i - 1) * spacing - 1);
    }
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual((at.length - 2) * spacing);
  });

  it('keeps the tokens-per-minute limit', async () => {
    const id = await importWmt(s.services);
    const tpm = 240_000; // 4000 tokens a second
    const { run } = await prepareRun(s.ctx, runProps({ articles: [id], concurrency: 8, tpm }));
    const final = await execute(run.id);
    expect(final.counts.done).toBe(9);
    const at = server.chatRequests().map((r) => r.at);
    const used = final.tokens.prompt + final.tokens.completion;
    const elapsed = at.at(-1)! - at[0]!;
    // The bucket holds one second of tokens; every token beyond that and the last request's must wait for the rate.
    const last = (await s.runStore.results(run.id)).map((r) => r.usage!.prompt + r.usage!.completion);
    const floor = ((used - Math.max(...last) - tpm / 60) / tpm) * 60_000;
    expect(floor).toBeGreaterThan(300);
    expect(elapsed).toBeGreaterThanOrEqual(floor * 0.9);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    const id = await importWmt(s.services);
    server.enqueue({ type: 'rateLimit', retryAfter: 1 });
    const { run } = await prepareRun(s.ctx, runProps({ articles: [id], concurrency: 1 }));
    const final = await execute(run.id);
    expect(final).toMatchObject({ status: 'finished', counts: { done: 9, failed: 0 } });
    const [first, second] = server.chatRequests();
    expect(first!.status).toBe(429);
    expect(second!.at - first!.answeredAt!).toBeGreaterThanOrEqual(990);
    expect(server.chatRequests()).toHaveLength(10);
  });

});
