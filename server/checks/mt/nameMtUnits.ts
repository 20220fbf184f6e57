/**
 * The MT side of the names check: the parts of the MT's names that could be checked against the
 * source, and whether the source has a counterpart for one.
 */
import { extractWords, isFunctionWord, type WordFact } from '../../core/facts.js';
import { splitPinyin } from '../../core/zh/pinyin.js';
import { demonymPlace, knownName, sitePlace } from './nameDictionary.js';
import { letters, phraseKeys, spellsSyllables, wordKeys } from './nameMatch.js';
import { MAX_NAME_SYLLABLES, OWN_COUNTRY, OWN_COUNTRY_KEYS, type SourceFacts } from './nameSource.js';

export interface MtNameUnit {
  text: string;
  span: [number, number];
  words: WordFact[];
  /** The run of capitalised words the unit is part of ("Park Jin" for "Jin"). */
  run: WordFact[];
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
export function mtNameUnits(mt: string): MtNameUnit[] {
  const units: MtNameUnit[] = [];
  for (const core of capitalisedRuns(mt)) {
    for (let i = 0; i < core.length; ) {
      let taken = 0;
      for (let len = Math.min(core.length - i, 4); len >= 1 && !taken; len--) {
        const words = core.slice(i, i + len);
        if (!contiguous(mt, words)) continue;
        const known = knownName(words.map((w) => w.norm).join(' '));
        if (known) units.push(unitOf(mt, words, known.person, core));
        else if (isRomanisedPerson(words, mt)) units.push(unitOf(mt, words, true, core));
        // "Vietnamese", "Korean": a place's adjective names the place; "Chinanews.com" a site named after one.
        else if (len === 1 && (demonymPlace(words[0]!.norm) || sitePlace(words[0]!.text))) {
          const site = /^[^.]+/u.exec(words[0]!.text)![0];
          units.push({ ...unitOf(mt, words, false, core), also: [site, demonymPlace(words[0]!.norm) ?? sitePlace(words[0]!.text)!] });
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

function unitOf(mt: string, words: WordFact[], person: boolean, run: WordFact[]): MtNameUnit {
  const last = words[words.length - 1]!;
  // "China's": the name is "China".
  const span: [number, number] = [words[0]!.span[0], last.span[1] - (/['’]s$/u.test(last.text) ? 2 : 0)];
  return { text: mt.slice(span[0], span[1]), span, words, person, run };
}

/**
 * Whether the unit is one piece of the MT's romanisation of a source name read in Chinese characters
 * (SourceFacts.unreadPeople): "Jin" in "Park Jin" for 朴振 — as many capitalised words (or hyphenated
 * pieces) as the name has characters, side by side, the unit among them, each beginning as its
 * syllable may be transliterated.
 */
function romanisesUnreadName(unit: MtNameUnit, mt: string, src: SourceFacts): boolean {
  if (!src.unreadPeople.length) return false;
  const first = unit.run.indexOf(unit.words[0]!);
  const last = unit.run.indexOf(unit.words[unit.words.length - 1]!);
  if (first < 0 || last < 0) return false;
  for (const syllables of src.unreadPeople) {
    for (let start = Math.max(0, last - syllables.length + 1); start <= first; start++) {
      const words = unit.run.slice(start, start + syllables.length);
      if (words.length < 2 || !contiguous(mt, words)) continue;
      const pieces = words.flatMap((w) => w.text.split(/[-‐]/u).filter(Boolean));
      // One short piece per syllable (Park, Jin, Suk, yeol): "Taiwan Youth" is not 中有 read aloud.
      if (pieces.every((p) => letters(p).length <= 5) && spellsSyllables(pieces, syllables)) return true;
    }
  }
  return false;
}

function contiguous(mt: string, words: WordFact[]): boolean {
  return words.every((w, i) => i === 0 || /^[\s\u00a0-]+$/u.test(mt.slice(words[i - 1]!.span[1], w.span[0])));
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

export function hasSourceCounterpart(unit: MtNameUnit, src: SourceFacts, mt: string): boolean {
  if (romanisesUnreadName(unit, mt, src)) return true;
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
