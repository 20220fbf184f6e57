/**
 * One editor alone on a small and on a large article (bench/actions.ts): the edit latency must not
 * grow with the article. Both articles get the same history length and each its own server process;
 * the client works on one paragraph in the middle of each, cycling edit → suggest → accept, in
 * interleaved rounds (small, large, large, small, …) so drift on the machine hits both sizes alike.
 */
import { currentParagraphs, drive, type ParagraphAnswer, type Sample } from './actionClients.js';
import { openServices, tempDataDir } from './data.js';
import { generateHistoryArticle } from './historyArticle.js';
import { median, ms, quantile } from './report.js';
import { startServer, type ServerHandle } from './server.js';
import type { NewsText } from './text.js';

export interface SizeFigures {
  size: number;
  editP50: number;
  editP90: number;
  acceptEditP50: number;
  /** CPU of the server's main thread (the one serving requests) and of all its threads, per request. */
  mainCpuPerRequest: number;
  cpuPerRequest: number;
  edits: number;
}

export interface ScalingResult {
  small: SizeFigures;
  large: SizeFigures;
  /** Edit p50, large ÷ small. */
  ratio: number;
  rounds: number;
  perRound: number;
}

interface Setup {
  size: number;
  id: string;
  gen: NewsText;
  server: ServerHandle;
  paragraph: ParagraphAnswer;
  samples: Sample[];
  mainCpu: number;
  cpu: number;
  requests: number;
  remove(): Promise<void>;
}

async function setUp(size: number, revisions: number): Promise<Setup> {
  const { dir, remove } = await tempDataDir(`scaling-${size}`);
  const services = await openServices(dir);
  const { id, article, gen } = await generateHistoryArticle(services, size, revisions);
  await services.store.close();
  const server = await startServer({ dataDir: dir });
  const paragraph = article.paragraphs[Math.floor(size / 2)] as unknown as ParagraphAnswer;
  return { size, id, gen, server, paragraph, samples: [], mainCpu: 0, cpu: 0, requests: 0, remove };
}

/** `count` requests by one client on the setup's paragraph; with `record`, their samples and server cost are kept. */
async function round(s: Setup, count: number, record: boolean): Promise<void> {
  await s.server.ask({ type: 'timings' }, 'timings');
  const run = await drive(s.server, s.id, [s.paragraph], count, s.gen, 1);
  const { timings } = await s.server.ask({ type: 'timings' }, 'timings');
  if (run.errors.length) throw new Error(`single editor on ${s.size} paragraphs: ${run.errors[0]}`);
  if (record) {
    s.samples.push(...run.samples);
    s.mainCpu += timings.mainCpu?.[0] ?? NaN;
    s.cpu += timings.cpu?.[0] ?? NaN;
    s.requests += run.samples.length;
  }
  s.paragraph = (await currentParagraphs(s.server, s.id)).find((p) => p.id === s.paragraph.id)!;
}

function figures(s: Setup): SizeFigures {
  const edits = s.samples.filter((x) => x.kind === 'edit').map((x) => x.ms);
  const acceptEdit = s.samples.filter((x) => x.kind !== 'suggest').map((x) => x.ms);
  return {
    size: s.size,
    editP50: median(edits),
    editP90: quantile(edits, 0.9),
    acceptEditP50: median(acceptEdit),
    mainCpuPerRequest: s.mainCpu / s.requests,
    cpuPerRequest: s.cpu / s.requests,
    edits: edits.length,
  };
}

export async function measureScaling(sizes: [number, number], revisions: number, rounds: number, perRound = 30): Promise<ScalingResult> {
  console.log(`\n== One editor alone: ${sizes[0]} vs ${sizes[1]} paragraphs, ${revisions.toLocaleString('en-US')} revisions each; ${rounds} interleaved rounds of ${perRound} requests`);
  const setups: Setup[] = [];
  try {
    for (const size of sizes) setups.push(await setUp(size, revisions));
    // Warm both servers (compiled hot code, grown heaps) before anything is measured.
    for (const s of setups) await round(s, 90, false);
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [...setups].reverse() : setups;
      for (const s of order) await round(s, perRound, true);
    }
    const [small, large] = setups.map(figures) as [SizeFigures, SizeFigures];
    const ratio = large.editP50 / small.editP50;
    for (const f of [small, large]) {
      console.log(`${String(f.size).padStart(5)} paragraphs: edit p50 ${ms(f.editP50)} (p90 ${ms(f.editP90)}, ${f.edits} edits), accept + edit p50 ${ms(f.acceptEditP50)}; server CPU per request ${ms(f.mainCpuPerRequest, 3)} main thread, ${ms(f.cpuPerRequest, 3)} all threads`);
    }
    console.log(`edit p50 ${sizes[1]} ÷ ${sizes[0]} paragraphs: ${ratio.toFixed(2)}×`);
    return { small, large, ratio, rounds, perRound };
  } finally {
    for (const s of setups) {
      await s.server.stop();
      await s.remove();
    }
  }
}
