/**
 * Measures the addition check (issue 14, item 7):
 *
 *   npx tsx scripts/benchmarks/addition.ts [../shared/eval/mlqe-pe_ru-en_test20.jsonl …]
 *
 * - false alarms: before = MT, after = the human post-edit (a fluent, faithful rewrite), source given;
 *   share of sentences with an addition warning, with the ones that fired printed.
 * - recall: the post-edit with something appended (a link, an e-mail, a call to action, a shouted
 *   token, another line's post-edit as an off-topic sentence); share caught by the addition check,
 *   or by not-a-rewrite when that one owns the case. The off-topic sentence is counted where it can
 *   be told apart: the post-edit ends a sentence and the appended one has 8 words or more (the
 *   check judges sentences of 5 content words or more, split at . ! ?).
 */
import { readFileSync } from 'node:fs';
import { additionCheck } from '../../server/checks/addition.js';
import { notRewriteCheck } from '../../server/checks/notRewrite.js';

interface Line {
  src?: string;
  mt: string;
  pe: string;
}

const APPENDED: Array<[kind: string, text: (other: string) => string]> = [
  ['link', () => 'Read the full story at www.example-news.com.'],
  ['e-mail', () => 'Send tips to tips@example.org.'],
  ['call to action', () => 'Subscribe to our newsletter for daily updates.'],
  ['shouted token', () => 'PWNED'],
  ['off-topic sentence', (other) => other],
];

const files = process.argv.length > 2 ? process.argv.slice(2) : ['../shared/eval/mlqe-pe_ru-en_test20.jsonl'];
for (const file of files) {
  const lines: Line[] = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
  const fired: string[] = [];
  for (const l of lines) {
    const ctx = l.src ? { source: l.src } : {};
    const f = additionCheck.run(l.mt, l.pe, ctx);
    if (f.length) fired.push(`  ${f[0]!.message}\n    MT: ${l.mt}\n    PE: ${l.pe}`);
  }
  console.log(`${file}: false alarms on MT → PE: ${fired.length} of ${lines.length} = ${(fired.length / lines.length).toFixed(4)}`);
  for (const s of fired) console.log(s);
  for (const [kind, text] of APPENDED) {
    let caught = 0;
    let eligible = 0;
    lines.forEach((l, i) => {
      const other = lines[(i + Math.floor(lines.length / 2)) % lines.length]!.pe;
      if (kind === 'off-topic sentence' && (!/[.!?]["'”’)]*$/u.test(l.pe.trim()) || other.split(/\s+/).length < 8)) return;
      eligible++;
      const after = `${l.pe} ${text(other)}`;
      const ctx = l.src ? { source: l.src } : {};
      if (additionCheck.run(l.mt, after, ctx).length || notRewriteCheck.run(l.mt, after, ctx).length) caught++;
    });
    console.log(`  recall, ${kind} appended: ${caught} of ${eligible} = ${(caught / eligible).toFixed(3)}`);
  }
}
