/**
 * The English side of CC-CEDICT glosses, for asking whether an English text has a word for a
 * Chinese one: gloss words reduced to light stems (irregular plurals and past forms included), and
 * derivational roots for a looser comparison (payment ~ pay, attendance ~ attend).
 *
 * Near-synonyms drawn from the dictionary itself (two one-word glosses of one headword) were tried
 * and left out: they let a dropped clause's words meet unrelated MT words as often as they rescued
 * a paraphrase (bench:mt, omission row).
 */
import { isFunctionWord, normalizeWord } from '../facts.js';

/** A light stem: plural, -ed, -ing, -ly, superlative -est and a final e removed ("produced", "production" differ). */
export function stemOf(word: string): string {
  let w = IRREGULAR[word] ?? word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(?:ss|sh|ch|x)es$/u.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('ly')) w = w.slice(0, -2);
  else if (w.length > 5 && w.endsWith('est') && !NOT_SUPERLATIVE.test(w)) w = w.endsWith('iest') ? `${w.slice(0, -4)}y` : w.slice(0, -3);
  if (w.length > 3 && /([^aeiou])\1$/u.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y')) w = w.slice(0, -1);
  return w;
}

/** Words in -est that are no superlatives. */
const NOT_SUPERLATIVE = /(?:interest|protest|request|forest|honest|modest|harvest|contest|arrest|suggest|digest|invest|manifest|quest|priest|guest|chest|inquest|behest)$/u;

/** Plurals and past forms no suffix rule undoes. */
const IRREGULAR: Readonly<Record<string, string>> = {
  women: 'woman', men: 'man', children: 'child', people: 'person', feet: 'foot', teeth: 'tooth', mice: 'mouse', geese: 'goose',
  held: 'hold', made: 'make', paid: 'pay', sold: 'sell', bought: 'buy', brought: 'bring', taught: 'teach', caught: 'catch', fought: 'fight',
  thought: 'think', sought: 'seek', found: 'find', told: 'tell', left: 'leave', lost: 'lose', met: 'meet', sent: 'send', spent: 'spend',
  built: 'build', won: 'win', led: 'lead', fell: 'fall', fallen: 'fall', rose: 'rise', risen: 'rise', grew: 'grow', grown: 'grow',
  knew: 'know', known: 'know', gave: 'give', given: 'give', took: 'take', taken: 'take', began: 'begin', begun: 'begin', wrote: 'write',
  written: 'write', chose: 'choose', chosen: 'choose', drew: 'draw', drawn: 'draw', struck: 'strike', hit: 'hit', cut: 'cut', set: 'set',
  kept: 'keep', saw: 'see', seen: 'see', ran: 'run', shot: 'shoot', fled: 'flee', stood: 'stand', understood: 'understand',
};

/**
 * A derivational root of a stem (`stemOf`), for a second, looser comparison: "payment" → pay,
 * "attendance" (attendanc) → attend, "implantation" → implant, "activity" (activit) → act.
 * Undefined when the stem has no such ending or the rest is too short.
 */
export function rootOf(stem: string): string | undefined {
  const m = DERIVED.exec(stem);
  if (!m || stem.length - m[0].length < 3) return undefined;
  return stemOf(stem.slice(0, -m[0].length));
}

const DERIVED = /(?:ation|ition|ment|ness|anc|enc|ion|ivit|alit|ilit|icit|iv|ist|ism)$/u;

/** Gloss words that say how a word is used rather than what it means. */
const GLOSS_NOISE = new Set(['sth', 'sb', 'one', 'someone', 'something', 'etc', 'lit', 'fig', 'abbr', 'pr', 'pl', 'esp', 'person', 'thing', 'make', 'get', 'take', 'put', 'give', 'go', 'come', 'do', 'be', 'kind', 'used', 'way']);

const glossCache = new Map<readonly string[], ReadonlySet<string>>();

/** The stems of the content words of some glosses: "to carry forward" → carr, forward. */
export function glossStems(glosses: readonly string[]): ReadonlySet<string> {
  let words = glossCache.get(glosses);
  if (words) return words;
  const out = new Set<string>();
  for (const gloss of glosses) {
    const plain = gloss.replace(/\([^)]*\)|\[[^\]]*\]|CL:.*|variant of.*|used in.*|see also.*/giu, ' ');
    for (const m of plain.matchAll(/[\p{L}\p{N}]+/gu)) {
      const w = normalizeWord(m[0]);
      if (w.length < 2 || isFunctionWord(w) || GLOSS_NOISE.has(w)) continue;
      out.add(stemOf(w));
    }
  }
  if (glossCache.size > 5000) glossCache.clear();
  glossCache.set(glosses, out);
  return out;
}
