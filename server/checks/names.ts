/** Names check: the people, places and organisations of the paragraph must survive the rewrite. */
import type { Finding } from '../core/types.js';
import type { GlossaryEntry } from '../core/glossary.js';
import { extractNames, findPhrase, wordSet, type NameFact, type Span, type WordFact } from '../core/facts.js';
import type { Check } from './types.js';

/** Ways of writing the same name that share no word. */
const ALIASES: string[][] = [
  ['US', 'U.S.', 'USA', 'United States', 'America'],
  ['UK', 'Britain', 'United Kingdom', 'Great Britain'],
  ['UN', 'United Nations'],
  ['EU', 'European Union'],
  ['PRC', 'China', "People's Republic of China"],
];

interface Missing {
  name: NameFact;
  words: WordFact[];
}

/** Whether `text` mentions an alias; an acronym only in capitals, so "US" is not "us". */
function mentions(text: string, alias: string): boolean {
  return findPhrase(text, alias, !/^[\p{Lu}\d.]+$/u.test(alias)) !== undefined;
}

/** Whether `phrase` is written one way in `from` and another way of the same group in `to`. */
function aliased(phrase: string, from: string, to: string, groups: string[][]): boolean {
  return groups.some(
    (group) =>
      group.some((m) => findPhrase(m, phrase) && mentions(from, m)) &&
      group.some((m) => mentions(to, m)),
  );
}

/** Names of `from` with identifying words that `to` does not mention, in any capitalisation. */
function missingNames(from: string, to: string, groups: string[][]): Missing[] {
  const words = wordSet(to);
  const out: Missing[] = [];
  for (const name of extractNames(from, [to])) {
    const gone = name.core.filter((w) => !words.has(w.norm));
    if (!gone.length) continue;
    if (aliased(name.text, from, to, groups) || gone.every((w) => aliased(w.text, from, to, groups))) continue;
    out.push({ name, words: gone });
  }
  return out;
}

function shown(m: Missing): string {
  return m.words.length === m.name.core.length ? m.name.text : m.words.map((w) => w.text).join(' ');
}

/** Edit distance, for telling a misspelt name ("Hongbing") from a different one. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

function sameName(a: Missing, b: Missing): boolean {
  const coreA = new Set(a.name.core.map((w) => w.norm));
  if (b.name.core.some((w) => coreA.has(w.norm))) return true;
  const x = a.words.map((w) => w.norm).join(' ');
  const y = b.words.map((w) => w.norm).join(' ');
  return editDistance(x, y) <= Math.max(x.length, y.length) / 3;
}

const spans = (m: Missing): Span[] => m.words.map((w) => w.span);

function glossaryGroups(glossary: GlossaryEntry[] = []): string[][] {
  return glossary.filter((e) => e.term.trim() && e.preferred.trim()).map((e) => [e.term, e.preferred]);
}

export const namesCheck: Check = {
  id: 'names',
  name: 'Names',
  description: 'Warns when a proper name of the paragraph is dropped or respelt in the rewrite, or a new one appears.',
  run(before, after, ctx) {
    const groups = [...ALIASES, ...glossaryGroups(ctx.glossary)];
    const dropped = dedupe(missingNames(before, after, groups));
    const added = dedupe(missingNames(after, before, groups));
    const findings: Finding[] = [];
    const finding = (message: string, b: Span[], a: Span[]): Finding => ({
      check: 'names', severity: 'warning', message, beforeSpans: b, afterSpans: a,
    });
    for (const d of dropped) {
      const i = added.findIndex((a) => sameName(d, a));
      const a = i >= 0 ? added.splice(i, 1)[0] : undefined;
      if (a) findings.push(finding(`Name changed: "${d.name.text}" → "${a.name.text}"`, d.spans, a.spans));
      else findings.push(finding(`Name dropped: "${shown(d)}"`, d.spans, []));
    }
    for (const a of added) findings.push(finding(`Name added: "${shown(a)}"`, [], a.spans));
    return findings;
  },
};

/** One finding per missing name, however often it occurs, with all its places. */
function dedupe(list: Missing[]): Array<Missing & { spans: Span[] }> {
  const byKey = new Map<string, Missing & { spans: Span[] }>();
  for (const m of list) {
    const key = m.words.map((w) => w.norm).join(' ');
    const seen = byKey.get(key);
    if (seen) seen.spans.push(...spans(m));
    else byKey.set(key, { ...m, spans: spans(m) });
  }
  return [...byKey.values()];
}
