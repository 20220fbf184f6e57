/**
 * Deterministic news-like English for the benchmarks: an order-2 word Markov chain trained on the
 * corpus (WMT23 news MT, references and the seed article), so paragraphs read like the wire copy the
 * app is built for, with names, numbers and punctuation in realistic proportions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const corpusDir = join(repoRoot, 'corpus');

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpusSentences(): string[][] {
  const files = [join(corpusDir, 'baoan-smart-wearables.en.txt')];
  const wmt = join(corpusDir, 'wmt-zhen');
  for (const f of readdirSync(wmt)) if (/\.en(\.ref)?\.txt$/.test(f)) files.push(join(wmt, f));
  const out: string[][] = [];
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      // Cut lines into sentences so a chain state can end and restart at sentence boundaries.
      for (const s of line.split(/(?<=[.!?])\s+(?=[A-Z"“])/)) {
        const words = s.trim().split(/\s+/).filter(Boolean);
        if (words.length >= 6) out.push(words);
      }
    }
  }
  return out;
}

export class NewsText {
  #next = new Map<string, string[]>();
  #starts: Array<[string, string]> = [];
  #vocabulary: string[] = [];
  readonly random: () => number;

  constructor(seed = 7) {
    this.random = rng(seed);
    const vocab = new Set<string>();
    for (const words of corpusSentences()) {
      this.#starts.push([words[0]!, words[1]!]);
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        if (/^[a-z]{4,}$/.test(w)) vocab.add(w);
        if (i < 2) continue;
        const key = `${words[i - 2]} ${words[i - 1]}`;
        const list = this.#next.get(key) ?? [];
        list.push(w);
        this.#next.set(key, list);
      }
      // End-of-sentence marker.
      const key = `${words[words.length - 2]} ${words[words.length - 1]}`;
      const list = this.#next.get(key) ?? [];
      list.push('');
      this.#next.set(key, list);
    }
    this.#vocabulary = [...vocab].sort();
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** A plain lowercase word of four letters or more from the corpus. */
  word(): string {
    return this.pick(this.#vocabulary);
  }

  /** About `words` words (±3) of connected sentences, ending with a full stop. */
  paragraph(words = 80): string {
    const target = words - 3 + Math.floor(this.random() * 7);
    const out: string[] = [];
    while (out.length < target) {
      let [a, b] = this.pick(this.#starts);
      out.push(a, b);
      for (let guard = 0; guard < 60 && out.length < target; guard++) {
        const options = this.#next.get(`${a} ${b}`);
        const w = options ? this.pick(options) : '';
        if (!w) break;
        out.push(w);
        [a, b] = [b, w];
      }
    }
    let text = out.slice(0, target).join(' ');
    if (!/[.!?]["”]?$/.test(text)) text = text.replace(/[,;:]$/, '') + '.';
    return text;
  }

  /**
   * A rewrite like an LLM's minimal edit: `changes` words replaced by other corpus words, far enough
   * apart to make separate diff spans.
   */
  rewrite(text: string, changes = 3): string {
    const words = text.split(' ');
    const candidates = words.map((w, i) => (/^[a-z]{4,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
    const chosen = new Set<number>();
    for (let guard = 0; chosen.size < changes && guard < 200 && candidates.length; guard++) {
      const i = this.pick(candidates);
      if (![...chosen].some((c) => Math.abs(c - i) < 3)) chosen.add(i);
    }
    for (const i of chosen) {
      let w = this.word();
      if (w === words[i]) w = `${w}s`;
      words[i] = w;
    }
    return words.join(' ');
  }
}
