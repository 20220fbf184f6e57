/**
 * When an English word names the same thing as a gloss: comparable keys for words, so that
 * "Philippine" meets "Philippines", "Chinese" meets "China", "America" meets "US", "UN" meets
 * "United Nations". Both sides are turned into keys and the sets compared.
 */
import { isFunctionWord, normalizeWord } from '../../core/facts.js';

/**
 * Names English uses interchangeably for one country, and demonyms no suffix rule relates. Kept to
 * country-level synonyms: a capital or a government is not its country (Beijing ≠ China).
 */
const ALIASES: ReadonlyArray<readonly string[]> = [
  ['us', 'usa', 'america', 'american', 'americans', 'united states'],
  ['uk', 'britain', 'british', 'united kingdom', 'great britain'],
  ['netherlands', 'holland', 'dutch'],
  ['philippines', 'philippine', 'filipino', 'filipinos'],
  ['switzerland', 'swiss'],
  ['china', 'chinese', 'prc', 'sino'],
  ['dprk', 'north korea'],
  // Demonyms no suffix rule reaches.
  ['france', 'french'],
  ['greece', 'greek'],
  ['thailand', 'thai'],
  ['denmark', 'danish'],
  ['poland', 'polish'],
  ['finland', 'finnish'],
  ['sweden', 'swedish'],
  ['norway', 'norwegian'],
  ['ireland', 'irish'],
  ['scotland', 'scottish'],
  ['wales', 'welsh'],
  ['portugal', 'portuguese'],
  ['laos', 'lao'],
  ['myanmar', 'burma', 'burmese'],
  ['rok', 'south korea'],
];

const ALIAS_OF = new Map<string, string>();
for (const group of ALIASES) for (const name of group) ALIAS_OF.set(name, `#${group[0]}`);

/** Demonym and plural endings: Chinese/China → chin, Russian/Russia → russi, Israeli/Israel → israel. */
const SUFFIXES = ['s', 'es', 'ese', 'ian', 'an', 'n', 'i', 'ish', 'a', 'o', 'e', 'y', 'ey', 'ia', 'land', 'ain'];
/** Demonym endings after which the consonants of the stem are compared: Spanish/Spain, Turkish/Turkey. */
const DEMONYM = /(?:ish|ese|ian|an|i)$/u;
const MIN_STEM = 4;

/** The keys of one word: itself, its stems, its alias group. */
export function wordKeys(word: string): string[] {
  const w = normalizeWord(word);
  const keys = [w];
  const alias = ALIAS_OF.get(w);
  if (alias) keys.push(alias);
  for (const suffix of SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= MIN_STEM) keys.push(w.slice(0, -suffix.length));
  }
  if (DEMONYM.test(w)) keys.push(skeleton(w.replace(DEMONYM, '')));
  return keys.filter((k) => k.length > 0);
}

/** `%` + the consonants of a word, y counted a vowel ("%trk" for Turkey and Turk-ish); empty when fewer than three. */
function skeleton(w: string): string {
  const consonants = w.replace(/[aeiouy]/gu, '');
  return consonants.length >= 3 ? `%${consonants}` : '';
}

/** Words of a gloss or name that identify it (function words dropped). */
export function significantWords(phrase: string): string[] {
  // "ChinaNews" is two words.
  return (phrase.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').match(/[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu) ?? []).filter((w) => !isFunctionWord(w) || /^\p{Lu}{2,}$/u.test(w));
}

/**
 * Keys of a phrase (a gloss such as "United Nations"): its words' keys, the whole phrase's alias
 * group, and its initials ("un") for the acronym an English text may use; for a name (`proper`),
 * its words' consonants too.
 */
export function phraseKeys(phrase: string, proper = false): readonly string[] {
  const memo = proper ? properPhraseKeys : commonPhraseKeys;
  let keys = memo.get(phrase);
  if (!keys) {
    // Glosses recur from paragraph to paragraph; the memo is dropped whole when it grows large.
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(phrase, (keys = computePhraseKeys(phrase, proper)));
  }
  return keys;
}

const MEMO_LIMIT = 50_000;
const properPhraseKeys = new Map<string, readonly string[]>();
const commonPhraseKeys = new Map<string, readonly string[]>();

function computePhraseKeys(phrase: string, proper: boolean): string[] {
  const words = significantWords(phrase);
  const keys = words.flatMap(wordKeys);
  // A country's consonants, which its demonym's stem keeps: Spain ~ Span-ish.
  if (proper) keys.push(...words.map((w) => skeleton(normalizeWord(w))).filter(Boolean));
  const whole = words.map(normalizeWord).join(' ');
  const alias = ALIAS_OF.get(whole);
  if (alias) keys.push(alias);
  if (words.length >= 2) {
    keys.push(words.map((w) => normalizeWord(w)[0]).join(''));
    // Written as one word: "ChinaNews" → Chinanews.
    keys.push(words.map(normalizeWord).join(''));
  }
  return keys;
}

/** Letters only, lowercase: "Xi Jin-ping" → "xijinping", for comparing romanised names. */
export function letters(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/gu, '');
}

/**
 * Pinyin initial → letters an English transliteration may write it with (马科斯 ma-ke-si ≈ Marcos):
 * h for the Spanish j and the Arabic kh (胡里奥 ≈ Julio, 哈梅内伊 ≈ Khamenei), a soft c for x (莱西 ≈
 * Lacey), the Vietnamese ch and tr for zh (政 ≈ Chinh).
 */
const INITIAL_LETTERS: Record<string, string> = {
  b: 'bp', p: 'pb', m: 'm', f: 'fpv', d: 'dt', t: 'td', n: 'n', l: 'lr', g: 'gk', k: 'kcgq', h: 'hjgk',
  j: 'jgdzc', q: 'qkc', x: 'xszc', zh: 'zjsct', ch: 'cst', sh: 's', r: 'rl', z: 'zs', c: 'cstk', s: 'sczx', y: 'yi', w: 'wvu',
};

const INITIAL = /^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])/u;

/**
 * Whether a word (or a hyphenated piece of a name) may begin as a transliteration of one syllable:
 * "Pham" for fan, "Chinh" for zheng, "Suk" for xi; a vowel-initial syllable takes any vowel, y or w.
 */
export function mayBeginSyllable(word: string, syllable: string): boolean {
  const first = letters(word)[0];
  if (!first) return false;
  const initial = INITIAL.exec(syllable)?.[0];
  return initial ? INITIAL_LETTERS[initial]!.includes(first) : /[aeiouyw]/u.test(first);
}

/**
 * Whether the pieces of a name (its words, or their hyphenated pieces) spell the syllables one piece
 * each, each beginning as its syllable may be transliterated: 范明政 fan ming zheng ≈ Pham Minh Chinh.
 */
export function spellsSyllables(pieces: readonly string[], syllables: readonly string[]): boolean {
  return pieces.length === syllables.length && syllables.every((s, k) => mayBeginSyllable(pieces[k]!, s));
}

/**
 * Whether an English word could be a transliteration of the syllables (a foreign name written in
 * Chinese): the syllables' initial consonants appear in order in the word, the first one first
 * (or anywhere, for a piece of a longer name: 赫拉 in 卡赫拉曼马拉什 = Kahramanmaraş).
 * Loose by design: used only to keep quiet about a source name, never to accept an MT name.
 */
export function mayTransliterate(word: string, syllables: readonly string[], anywhere = false): boolean {
  const w = letters(word);
  if (w.length < 3 || syllables.length < 2) return false;
  let at = 0;
  for (let i = 0; i < syllables.length; i++) {
    const s = syllables[i]!;
    const initial = INITIAL.exec(s)?.[0];
    if (!initial) continue; // a vowel-initial syllable may be written any way
    const options = INITIAL_LETTERS[initial]!;
    if (i === 0 && !anywhere) {
      if (!options.includes(w[0]!)) return false;
      at = 1;
      continue;
    }
    let found = -1;
    for (let j = at; j < w.length; j++) if (options.includes(w[j]!)) { found = j; break; }
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}
