/**
 * Hostile uploads (issue 16, item 13): how long the upload code takes to answer each hostile file,
 * and the peak resident memory of the process doing it. Each case runs in a fresh process (so its
 * peak RSS is its own): the file is generated, then handed to what the upload routes call —
 * `prepareUpload` for articles, `parseGlossaryFile` for a TBX glossary. "RSS before" is taken after
 * the file was generated; "peak RSS" is the process's maximum (getrusage).
 *
 *   npx tsx bench/hostileUploads.ts      (or npm run bench:hostile)
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseGlossaryFile } from '../server/interchange/glossaryFiles.js';
import { prepareUpload } from '../server/interchange/upload.js';
import {
  docxWithManyElements, docxWithParagraphs, docxZipBomb, tbxWithAttributes, xliffNested, xliffWithAttributesOnOneElement,
  xliffWithAttributesSpread, xliffWithElements,
} from '../tests/support/hostileFiles.js';
import { conditions, isMain, machine, table, today, writeSection } from './lib/report.js';

interface Case {
  label: string;
  name: string;
  make: () => string | Buffer;
  glossary?: boolean;
}

const CASES: Case[] = [
  { label: 'XLIFF, 400,000 attributes on one element', name: 'attrs.xlf', make: () => xliffWithAttributesOnOneElement(400_000) },
  { label: 'XLIFF, 400,000 attributes over 4,000 units', name: 'spread.xlf', make: () => xliffWithAttributesSpread(400_000) },
  { label: 'XLIFF, 1,000,000 empty elements', name: 'elements.xlf', make: () => xliffWithElements(1_000_000) },
  { label: 'XLIFF, 100,000 nested elements', name: 'deep.xlf', make: () => xliffNested(100_000) },
  { label: 'TBX, 400,000 attributes on one element', name: 'terms.tbx', make: () => tbxWithAttributes(400_000), glossary: true },
  { label: 'DOCX zip bomb: 2 GB unpacked, headers say 2 KB', name: 'bomb.docx', make: () => docxZipBomb(2048) },
  { label: 'DOCX, 50,000 paragraphs × 31 elements (55 KB)', name: 'dense.docx', make: () => docxWithManyElements(50_000) },
  { label: 'DOCX, 2,000 ordinary paragraphs (must pass)', name: 'ordinary.docx', make: () => docxWithParagraphs(2_000) },
];

interface Measured {
  bytes: number;
  ms: number;
  rssBeforeMB: number;
  peakRssMB: number;
  status: number;
  outcome: string;
}

async function measureOne(c: Case): Promise<Measured> {
  const data = c.make();
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  let status = 200;
  let outcome = 'accepted';
  try {
    if (c.glossary) {
      const r = parseGlossaryFile(typeof data === 'string' ? data : data.toString('utf8'), 'tbx');
      outcome = `accepted (${r.entries.length} entries)`;
    } else {
      const r = await prepareUpload({ name: c.name, data: typeof data === 'string' ? Buffer.from(data) : data });
      outcome = `accepted (${r.count} paragraphs)`;
    }
  } catch (e) {
    const err = e as Error & { status?: number };
    status = err.status ?? (c.glossary ? (err.cause ? 413 : 400) : 500);
    outcome = err.message.replace(/\s+/g, ' ').slice(0, 110);
  }
  const ms = performance.now() - started;
  return { bytes, ms, rssBeforeMB: rssBefore / 1048576, peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1048576, status, outcome };
}

export async function runHostileUploads(): Promise<void> {
  const load = conditions();
  const self = fileURLToPath(import.meta.url);
  const rows: Array<Array<string | number>> = [];
  console.log('\n== Hostile uploads: time and peak RSS to answer each file (fresh process per case)');
  for (const c of CASES) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', self, '--case', c.name], { maxBuffer: 1 << 20, timeout: 600_000 });
    const m = JSON.parse(stdout.trim().split('\n').pop()!) as Measured;
    const size = m.bytes >= 1048576 ? `${(m.bytes / 1048576).toFixed(1)} MB` : `${Math.round(m.bytes / 1024)} KB`;
    console.log(`${c.label}: ${m.status} in ${m.ms.toFixed(0)} ms, peak RSS ${m.peakRssMB.toFixed(0)} MB — ${m.outcome}`);
    rows.push([c.label, size, m.status, `${m.ms.toFixed(0)} ms`, `${m.rssBeforeMB.toFixed(0)} MB`, `${m.peakRssMB.toFixed(0)} MB`, m.outcome.replace(/\|/g, '\\|')]);
  }
  writeSection(
    'hostileUploads',
    `## 8. Hostile uploads (issue 16, item 13)

${today()} · ${machine()} · ${load} · \`npm run bench:hostile\`. Each file is handed to what the upload route calls
(\`prepareUpload\`; \`parseGlossaryFile\` for TBX) in a fresh process; time is that call alone, RSS before is after generating the file.

${table(['file', 'size', 'answer', 'time', 'RSS before', 'peak RSS', 'message'], rows)}`,
  );
}

if (process.argv[2] === '--case') {
  const c = CASES.find((x) => x.name === process.argv[3]);
  if (!c) throw new Error(`no case ${process.argv[3]}`);
  console.log(JSON.stringify(await measureOne(c)));
} else if (isMain(import.meta.url)) {
  await runHostileUploads();
}
