/**
 * The omission check's evidence: each source clause with its content words and the MT word that
 * answers for each, every MT word answering for one source word only.
 */
import { counterpart, NOT_FOUND } from './omissionCounterpart.js';
import { indexMt, type MtIndex } from './omissionMtIndex.js';
import { sourceClauses } from './omissionSource.js';

export { NOT_FOUND };

/** One content word of a source clause and what the MT has for it. */
export interface WordEvidence {
  word: string;
  tag: string;
  /**
   * MT offset where its counterpart ends; -1 when it has one whose place is unknown; NOT_FOUND when
   * it has none; undefined when it cannot be checked (the dictionary does not know it).
   */
  found: number | undefined;
  /** The word is in several clauses, so it cannot tell which of them the MT kept. */
  shared: boolean;
}

export interface ClauseEvidence {
  start: number;
  end: number;
  words: WordEvidence[];
}

/** The source's clauses with their content words and each word's counterpart in the MT. */
export function clauseEvidence(mt: string, source: string): ClauseEvidence[] {
  const mtIndex = indexMt(mt);
  const { clauses, clauseWords, clausesOf } = sourceClauses(source);
  const evidence = clauses.map((c, i) => ({
    start: c.start,
    end: c.end,
    words: clauseWords[i]!.map((t) => ({ word: t.word, tag: t.tag, found: undefined as number | undefined, shared: clausesOf.get(t.word)! > 1, options: counterpart(t, mtIndex) })),
  }));
  linkWords(evidence, mtIndex);
  return evidence.map((c) => ({ start: c.start, end: c.end, words: c.words.map(({ options: _, ...w }) => w) }));
}

interface Linking {
  found: number | undefined;
  options: number | undefined | string[];
}

/**
 * Gives each source word an MT word, each MT word answering for one source word only (游客 and 旅客
 * cannot both be the one "tourists"). Words no other word competes with take theirs first; an MT
 * word several source words could stand for goes to the one whose clause has its other counterparts
 * nearest, so that a clause the MT dropped does not live on through words of its neighbours.
 */
function linkWords(evidence: ReadonlyArray<{ words: Linking[] }>, mt: MtIndex): void {
  const wanted = new Map<number, number>();
  const candidates = new Map<Linking, number[]>();
  for (const c of evidence) {
    for (const w of c.words) {
      if (!Array.isArray(w.options)) {
        w.found = w.options;
        continue;
      }
      const ends = [...new Set(w.options.flatMap((k) => (k.startsWith('p:') ? [] : mt.occurrences.get(k)!)))];
      candidates.set(w, ends);
      for (const end of ends) wanted.set(end, (wanted.get(end) ?? 0) + 1);
      // A romanised word spells several characters (Hongjin = 鸿 + 锦): it is not used up.
      const romanised = w.options.find((k) => k.startsWith('p:'));
      w.found = romanised ? mt.occurrences.get(romanised)![0]! : NOT_FOUND;
    }
  }
  const used = new Set<number>();
  const contested: Array<{ word: Linking; clause: number }> = [];
  evidence.forEach((c, clause) => {
    for (const w of c.words) {
      const ends = candidates.get(w);
      if (!ends || w.found !== NOT_FOUND) continue;
      const own = ends.find((end) => wanted.get(end) === 1);
      if (own !== undefined) {
        w.found = own;
        used.add(own);
      } else if (ends.length) contested.push({ word: w, clause });
    }
  });
  const anchors = evidence.map((c) => {
    const ends = c.words.map((w) => w.found!).filter((at) => at >= 0);
    return ends.length ? median(ends) : undefined;
  });
  const distance = (end: number, clause: number) => (anchors[clause] === undefined ? Infinity : Math.abs(end - anchors[clause]!));
  const pairs = contested.flatMap(({ word, clause }) => candidates.get(word)!.map((end) => ({ word, end, d: distance(end, clause) })));
  pairs.sort((a, b) => a.d - b.d);
  for (const { word, end } of pairs) {
    if (word.found !== NOT_FOUND || used.has(end)) continue;
    word.found = end;
    used.add(end);
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
