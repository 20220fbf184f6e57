/**
 * Names check: a person, place or organisation in the MT that the source does not name (major:
 * "US and Fiji" for 美日菲), and a source name the MT leaves out (minor, a point in the MT).
 *
 * An MT name is flagged only when it is recognisably a name the source could have written — the
 * English gloss of a Chinese place, person or organisation in CC-CEDICT (Fiji = 斐济), or a
 * romanised Chinese person (Li Qiang) — and nothing in the source corresponds to it: no gloss of a
 * source word, no pinyin reading, no Latin-script text. Other capitalised words (titles, months,
 * "Communist") are never flagged as missing from the source.
 */
import { extractWords, isFunctionWord, type WordFact } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import { headwordsForName, lookupZhWord } from '../../core/zh/dict.js';
import type { ZhName } from '../../core/zh/names.js';
import { splitPinyin } from '../../core/zh/pinyin.js';
import { segmentZh } from '../../core/zh/segment.js';
import { letters, mayBeginSyllable, mayTransliterate, phraseKeys, wordKeys } from './nameMatch.js';
import { MAX_NAME_SYLLABLES, OWN_COUNTRY, OWN_COUNTRY_KEYS, sourceFacts, type SourceFacts } from './nameSource.js';
import type { MtCheck } from './types.js';

const ID = 'mt-names';
/** Source names quoted in one message. */
const MAX_QUOTED = 3;

export const mtNamesCheck: MtCheck = {
  id: ID,
  name: 'Names',
  description: 'People, places and organisations in the MT that the source does not name, and source names the MT leaves out.',
  version: 2,
  run(mt, source) {
    if (!source?.trim() || !mt.trim()) return [];
    const src = sourceFacts(source);
    const flags: MtFlag[] = [];
    const unmatchedSource = src.names.filter((n) => !n.solo && !inMt(n, mt));
    const quoted = new Set<ZhName>();

    for (const unit of mtNameUnits(mt)) {
      if (hasSourceCounterpart(unit, src)) continue;
      const cite = citedSourceNames(unmatchedSource, unit.person);
      cite.forEach((n) => quoted.add(n));
      flags.push({
        start: unit.span[0],
        end: unit.span[1],
        kind: 'name',
        severity: 'major',
        message: `"${unit.text}" is not in the source${cite.length ? ` (source: ${describe(cite, src.names)})` : ''}`,
        check: ID,
        ...(cite.length ? { sourceSpans: spansOf(cite) } : {}),
      });
    }

    for (const group of groupByText(unmatchedSource.filter((n) => !quoted.has(n) && !(n.group && [...quoted].some((q) => q.group?.start === n.group!.start))))) {
      const first = group[0]!;
      const at = suspectNear(mt, src, pointInMt(mt, source, first.start)) ?? pointInMt(mt, source, first.start);
      flags.push({
        start: at,
        end: at,
        kind: 'name',
        severity: 'minor',
        message: `Source name not in the MT: ${first.text} = ${displayGloss(first)}`,
        check: ID,
        sourceSpans: group.map((n) => [n.start, n.end] as [number, number]),
      });
    }
    return flags;
  },
};

// ---------------------------------------------------------------------------------------------
// The MT side

interface MtNameUnit {
  text: string;
  span: [number, number];
  words: WordFact[];
  /** A person: romanised Chinese ("Li Qiang") or a dictionary person ("Shinzo Abe"). */
  person: boolean;
  /** Other forms the name may meet the source by: "Chinanews" and china for "Chinanews.com", vietnam for "Vietnamese". */
  also?: string[];
}

/**
 * The parts of the MT's names that could be checked against the source: the longest runs of a
 * name's core words that are a CC-CEDICT name of a place, person or organisation ("Fiji",
 * "Shinzo Abe"), or romanised Chinese people ("Song Tao").
 */
function mtNameUnits(mt: string): MtNameUnit[] {
  const units: MtNameUnit[] = [];
  for (const core of capitalisedRuns(mt)) {
    for (let i = 0; i < core.length; ) {
      let taken = 0;
      for (let len = Math.min(core.length - i, 4); len >= 1 && !taken; len--) {
        const words = core.slice(i, i + len);
        if (!contiguous(mt, words)) continue;
        const known = knownName(words.map((w) => w.norm).join(' '));
        if (known) units.push(unitOf(mt, words, known.person));
        else if (isRomanisedPerson(words, mt)) units.push(unitOf(mt, words, true));
        // "Vietnamese", "Korean": a place's adjective names the place; "Chinanews.com" a site named after one.
        else if (len === 1 && (demonymPlace(words[0]!.norm) || sitePlace(words[0]!.text))) {
          const site = /^[^.]+/u.exec(words[0]!.text)![0];
          units.push({ ...unitOf(mt, words, false), also: [site, demonymPlace(words[0]!.norm) ?? sitePlace(words[0]!.text)!] });
        }
        else continue;
        taken = len;
      }
      i += taken || 1;
    }
  }
  return units;
}

/**
 * Runs of capitalised words, titles and sentence starts included: `extractNames` takes a sentence
 * dense with names for a title-cased headline and drops them all, and here only words that are a
 * dictionary name (or romanised Chinese) are ever flagged, so a title or a sentence start costs
 * nothing. Function words end a run unless written as an acronym (US).
 */
function capitalisedRuns(mt: string): WordFact[][] {
  const runs: WordFact[][] = [];
  let run: WordFact[] = [];
  for (const w of extractWords(mt)) {
    const name = /^\p{Lu}/u.test(w.text) && (!isFunctionWord(w.text) || /^\p{Lu}[\p{Lu}.]+$/u.test(w.text));
    if (name && run.length && !contiguous(mt, [run[run.length - 1]!, w])) {
      runs.push(run);
      run = [];
    }
    if (name) run.push(w);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

function unitOf(mt: string, words: WordFact[], person: boolean): MtNameUnit {
  const last = words[words.length - 1]!;
  // "China's": the name is "China".
  const span: [number, number] = [words[0]!.span[0], last.span[1] - (/['’]s$/u.test(last.text) ? 2 : 0)];
  return { text: mt.slice(span[0], span[1]), span, words, person };
}

function contiguous(mt: string, words: WordFact[]): boolean {
  return words.every((w, i) => i === 0 || /^[\s\u00a0-]+$/u.test(mt.slice(words[i - 1]!.span[1], w.span[0])));
}

const PERSON_TAGS = new Set(['nr', 'nrfg', 'nrt']);
const NAME_TAGS = new Set([...PERSON_TAGS, 'ns', 'nt', 'nz']);
const COMMON_TAGS = new Set(['n', 'ng', 'vn', 't', 'tg', 'm', 'mq', 'q']);
const knownNames = new Map<string, KnownName | null>();

interface KnownName {
  person: boolean;
}

/**
 * Whether an English name is the gloss of a Chinese name (a place, person or organisation as jieba
 * tags it): "Fiji" (斐济, ns) yes; "January" (一月, a time word) or "Spring Festival" no.
 */
function knownName(english: string): KnownName | undefined {
  const cached = knownNames.get(english);
  if (cached !== undefined) return cached ?? undefined;
  let known: KnownName | null = null;
  for (const word of headwordsForName(english)) {
    const tokens = segmentZh(word);
    const tag = tokens.length === 1 ? tokens[0]!.tag : '';
    // jieba's tag decides; where jieba has no noun or time reading (首尔 comes out an adverb) the
    // word counts when every CC-CEDICT reading of it is a proper noun. 国会 (n) and 春节 (t) do not.
    const proper = lookupZhWord(word)?.proper && !COMMON_TAGS.has(tag);
    if (NAME_TAGS.has(tag) || proper || [...word].length === 1) {
      known ??= { person: false };
      known.person ||= PERSON_TAGS.has(tag);
    }
  }
  knownNames.set(english, known);
  return known ?? undefined;
}

/** Demonym endings and what may stand before them in the place's own name: Vietnam-ese, Kore(a)-an, Brazil-ian, Ital(y)-ian. */
const DEMONYM_ENDINGS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['ese', ['', 'a']],
  ['ian', ['', 'a', 'ia', 'e', 'y']],
  ['an', ['', 'a', 'e', 'o', 'y']],
  ['n', ['']],
  ['i', ['']],
  ['ish', ['', 'ey', 'land']],
];

/**
 * The place a demonym or place adjective is made from, when the dictionary has the place
 * ("Vietnamese" → vietnam, "Korean" → korea, "Canadian" → canada); undefined for other words.
 */
function demonymPlace(norm: string): string | undefined {
  for (const [ending, stems] of DEMONYM_ENDINGS) {
    if (!norm.endsWith(ending) || norm.length - ending.length < 3) continue;
    const base = norm.slice(0, -ending.length);
    for (const add of stems) {
      // Not only places: jieba tags 乌克兰 and 莫斯科 as people.
      const place = base + add;
      if (knownName(place)) return place;
    }
  }
  return undefined;
}

/** A news site named after a place: "Chinanews.com", "Koreaherald.com" → the place. */
function sitePlace(text: string): string | undefined {
  const m = /^(\p{L}+)\.(?:com|cn|net|org|co|gov)\b/u.exec(text);
  if (!m) return undefined;
  const label = m[1]!.toLowerCase();
  for (let len = label.length - 3; len >= 4; len--) {
    if (knownName(label.slice(0, len))) return label.slice(0, len);
  }
  return undefined;
}

/** Two or three capitalised words spelt as pinyin, a surname first: "Song Tao", "Xi Jinping". */
function isRomanisedPerson(words: readonly WordFact[], mt: string): boolean {
  if (words.length < 2 || words.length > 3) return false;
  if (!words.every((w, i) => i === 0 || /^[ \u00a0]+$/u.test(mt.slice(words[i - 1]!.span[1], w.span[0])))) return false;
  const split = words.map((w) => splitPinyin(w.text));
  if (split.some((s) => !s)) return false;
  // A one-syllable surname, then a given name of one or two: "China Cuba" parses but is no person.
  return split[0]!.length === 1 && split.slice(1).every((s) => s!.length <= 2) && split.flat().length <= MAX_NAME_SYLLABLES - 1;
}

/**
 * Words that say what kind of body a name is, not which: "Central Committee" for 中共中央 needs
 * only "Central" found in the source.
 */
const ORGAN_WORDS = new Set(
  'committee commission council ministry department bureau office agency administration association federation league union congress assembly parliament court group company corporation bank university institute academy centre center'.split(' '),
);

function hasSourceCounterpart(unit: MtNameUnit, src: SourceFacts): boolean {
  // An acronym of three letters or more (ABC, NPC) often shortens an organisation the source spells out.
  if (/^\p{Lu}{3,}$/u.test(unit.text)) return true;
  const inSource = (w: WordFact, keys: Set<string>) => wordKeys(w.text).some((k) => keys.has(k)) || src.pinyin.has(letters(w.text));
  if (src.keys.has(OWN_COUNTRY) && unit.words.some((w) => wordKeys(w.text).some((k) => OWN_COUNTRY_KEYS.has(k)))) return true;
  if (unit.also?.some((a) => phraseKeys(a, true).some((k) => src.keys.has(k)) || src.pinyin.has(letters(a)))) return true;
  // The whole name: an alias or initials ("United States" = 美国's US), or romanised ("Song Tao" = 宋涛).
  if (phraseKeys(unit.text).some((k) => k.startsWith('#') && src.keys.has(k)) || src.pinyin.has(letters(unit.text))) return true;
  // Word by word: one word of a name the source names is enough ("Shinzo Abe" for 安倍), but common
  // glosses must cover every word (国 = state does not make "United States").
  if (unit.words.some((w) => inSource(w, src.nameKeys))) return true;
  const identifying = unit.words.filter((w) => !ORGAN_WORDS.has(w.norm));
  return identifying.length > 0 && identifying.every((w) => inSource(w, src.keys));
}

// ---------------------------------------------------------------------------------------------
// Source names in the MT

const mtKeysOf = new WeakMap<object, Set<string>>();

function mtKeys(mt: string): Set<string> {
  const words = extractWords(mt);
  let keys = mtKeysOf.get(words);
  if (!keys) {
    // "Chinanews.com" is read as "Chinanews" and "com" too.
    keys = new Set(words.flatMap((w) => [w.text, ...w.text.split('.')]).flatMap((t) => (t ? wordKeys(t) : [])));
    // Two-word aliases ("United States", "North Korea").
    for (let i = 0; i + 1 < words.length; i++) for (const k of phraseKeys(`${words[i]!.text} ${words[i + 1]!.text}`)) keys.add(k);
    mtKeysOf.set(words, keys);
  }
  return keys;
}

function inMt(name: ZhName, mt: string): boolean {
  const keys = mtKeys(mt);
  if (name.english.some((e) => phraseKeys(e, true).some((k) => keys.has(k)))) return true;
  return !!name.pinyin?.length && romanisedInMt(name, mt);
}

/** Forms of address an English text puts before a surname. */
const ADDRESS = /^(?:mr|ms|mrs|miss|madam|madame|dr)$/u;

/**
 * "Song Tao", "Songtao", "Song" alone after a first mention, "Jiangbei" for 江北, "Mr. Sun" for
 * 孙先生; a foreign name by its consonants (马科斯 ≈ Marcos, 莱西 ≈ Raisi, 胡里奥 ≈ Julio), and a
 * Vietnamese or Korean name read in Chinese characters syllable by syllable (范明政 ≈ Pham Minh Chinh).
 */
function romanisedInMt(name: ZhName, mt: string): boolean {
  const pinyin = name.pinyin!;
  const full = pinyin.join('');
  const surname = name.kind === 'person' ? pinyin[0]! : full;
  // "Zhongxin.com" is the name Zhongxin.
  const words = extractWords(mt);
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w.text)).map((w) => ({ ...w, text: w.text.split('.')[0]! }));
  for (let i = 0; i < capitalised.length; i++) {
    const w = capitalised[i]!;
    const l = letters(w.text);
    const next = capitalised[i + 1];
    if (l === full || l === surname || (next && l + letters(next.text) === full)) return true;
    // The first syllables of a longer name: Zhongxin (.com) for 中新网.
    if (pinyin.length > 2 && l.length >= 4 && l === pinyin.slice(0, 2).join('')) return true;
    // A foreign name in characters, or an MT word that is no name the dictionary knows (Raisi for 莱西, a place in China too).
    if ((name.kind === 'person' || name.foreign || !knownName(w.norm)) && mayTransliterate(w.text, pinyin, name.foreign)) return true;
    if (name.kind === 'person' && sameInitials(capitalised, i, mt, pinyin)) return true;
  }
  // 孙先生 = "Mr. Son": a surname alone, after a form of address.
  if (name.kind === 'person' && pinyin.length === 1) {
    for (let i = 0; i + 1 < words.length; i++) {
      if (ADDRESS.test(words[i]!.norm) && /^\p{Lu}/u.test(words[i + 1]!.text) && mayBeginSyllable(words[i + 1]!.text, pinyin[0]!)) return true;
    }
  }
  return false;
}

/**
 * Whether capitalised words from i on spell the syllables one word (or hyphenated piece) each, each
 * beginning as the syllable may be transliterated: 范明政 fan ming zheng ≈ Pham Minh Chinh.
 */
function sameInitials(capitalised: ReadonlyArray<WordFact>, i: number, mt: string, syllables: readonly string[]): boolean {
  if (syllables.length < 2) return false;
  const pieces: string[] = [];
  for (let j = i; j < capitalised.length && pieces.length < syllables.length; j++) {
    if (j > i && !/^[ \u00a0]+$/u.test(mt.slice(capitalised[j - 1]!.span[1], capitalised[j]!.span[0]))) break;
    pieces.push(...capitalised[j]!.text.split(/[-‐]/u).filter(Boolean));
  }
  if (pieces.length !== syllables.length) return false;
  return syllables.every((s, k) => mayBeginSyllable(pieces[k]!, s));
}

// ---------------------------------------------------------------------------------------------
// Messages

/** The unmatched source names an MT name may stand for: places for a place, people for a person. */
function citedSourceNames(unmatched: readonly ZhName[], person: boolean): ZhName[] {
  const fitting = unmatched.filter((n) => (person ? n.kind === 'person' : n.kind !== 'person' && n.kind !== 'latin'));
  return fitting.slice(0, MAX_QUOTED);
}

/** "美日菲 = US, Japan, Philippines": a group of abbreviations is shown whole. */
function describe(names: readonly ZhName[], all: readonly ZhName[]): string {
  const parts: string[] = [];
  const groups = new Set<number>();
  for (const n of names) {
    if (n.group) {
      if (groups.has(n.group.start)) continue;
      groups.add(n.group.start);
      const members = all.filter((m) => m.group?.start === n.group!.start);
      parts.push(`${n.group.text} = ${members.map(displayGloss).join(', ')}`);
    } else parts.push(`${n.text} = ${displayGloss(n)}`);
  }
  return parts.join('; ');
}

function displayGloss(n: ZhName): string {
  if (n.kind === 'person' || n.kind === 'latin') return n.english[n.english.length - 1] ?? n.text;
  const us = n.english.find((e) => ['US', 'USA', 'United States'].includes(e));
  if (us) return 'US';
  const shortest = [...n.english].sort((a, b) => a.length - b.length).slice(0, 2);
  return shortest.join('/');
}

function spansOf(names: readonly ZhName[]): Array<[number, number]> {
  const spans = new Map<string, [number, number]>();
  for (const n of names) {
    const span: [number, number] = n.group ? [n.group.start, n.group.end] : [n.start, n.end];
    spans.set(span.join(), span);
  }
  return [...spans.values()];
}

function groupByText(names: readonly ZhName[]): ZhName[][] {
  const groups = new Map<string, ZhName[]>();
  for (const n of names) {
    const list = groups.get(n.text);
    if (list) list.push(n);
    else groups.set(n.text, [n]);
  }
  return [...groups.values()];
}

/** Capitalised English words that are no names. */
const CALENDAR = /^(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/u;

/** How far from where a source name should fall an MT word may be to be taken for its rendering, as a share of the MT. */
const SUSPECT_REACH = 0.25;

/**
 * The start of the MT's capitalised word nearest `at` that nothing in the source accounts for —
 * where a source name the MT lacks was most likely rendered wrongly ("SEC" for 证监会, "Chabin" for
 * 夏宾) — or undefined when there is none within reach.
 */
function suspectNear(mt: string, src: SourceFacts, at: number): number | undefined {
  let best: number | undefined;
  for (const [i, w] of extractWords(mt).entries()) {
    if (!/^\p{Lu}/u.test(w.text) || isFunctionWord(w.text) || CALENDAR.test(w.norm) || Math.abs(w.span[0] - at) > mt.length * SUSPECT_REACH) continue;
    // A sentence's first word is capitalised anyway.
    if (i === 0 || /[.!?:"“]\s*$/u.test(mt.slice(Math.max(0, w.span[0] - 4), w.span[0]))) continue;
    if (wordKeys(w.text).some((k) => src.keys.has(k)) || src.pinyin.has(letters(w.text))) continue;
    if (best === undefined || Math.abs(w.span[0] - at) < Math.abs(best - at)) best = w.span[0];
  }
  return best;
}

/** Where in the MT a source position roughly falls: the same fraction of the text, at a word start. */
function pointInMt(mt: string, source: string, sourceOffset: number): number {
  let at = Math.round((sourceOffset / Math.max(1, source.length)) * mt.length);
  while (at > 0 && !/\s/u.test(mt[at - 1]!)) at--;
  return at;
}
