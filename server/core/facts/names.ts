/** Proper names of an English text (capitalised runs, designators, abbreviations) with their spans. */
import { extractWords, FUNCTION_WORDS, recent, type Span, type WordFact } from './words.js';
import { SMALL_NUMBERS, TENS } from './numbers.js';

export interface NameFact {
  /** The name as written: `Baoan District`, `Wang Hongbin`. */
  text: string;
  span: Span;
  /** Normalised form: `baoan district`. */
  norm: string;
  /** The words that identify it, without designators such as District, Co. or Bureau. */
  core: WordFact[];
}

/**
 * Capitalised words that designate rather than identify: a run made only of these ("Industry
 * Alliance", "District") is not a name, and a rewrite may reword them ("Technology Park" → "tech
 * park") without changing who or where.
 */
const DESIGNATORS = new Set(`
district city county province provincial municipal municipality region regional town township
village street road avenue square park zone area new north south east west northern southern
eastern western central national international government ministry department bureau office
committee commission council congress assembly parliament party court agency authority
administration association alliance federation league society foundation institute institution
university college school academy center centre hospital museum library company co corp corporation
inc ltd limited llc plc group holdings holding bank fund exchange market industry industrial
industries technology technologies tech science sciences scientific innovation development research
intelligent intelligence smart information network media news daily service services system systems
project program programme plan strategy initiative conference forum summit festival expo award prize
secretary mayor president chairman chairwoman chair director minister premier governor deputy vice
general chief head manager officer spokesman spokeswoman spokesperson reporter editor professor
doctor economic economy financial finance trade commerce commercial business enterprise enterprises
high world global annual
admiral colonel captain commander lieutenant sergeant king queen prince princess emperor tsar czar pope
bishop archbishop saint father
tv ceo cfo cto ipo vip pc ok
rmb cny usd eur gbp hkd jpy
`.split(/\s+/).filter(Boolean));

function isDesignator(w: WordFact): boolean {
  return DESIGNATORS.has(w.norm) || (w.norm.endsWith('s') && DESIGNATORS.has(w.norm.slice(0, -1)));
}

const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof st no co ltd inc jr sr vs etc gen col lt sgt rep sen gov jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '),
);

const CAPITALISED = /^\p{Lu}/u;

/** Whether the word at `start` opens a sentence (or the text), where every word is capitalised. */
function isSentenceStart(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && /[\s"“‘'(\[「『«]/u.test(text[i]!)) {
    if (text[i] === '\n') return true;
    i--;
  }
  if (i < 0) return true;
  const c = text[i]!;
  if (/[!?:…。！？]/u.test(c)) return true;
  if (c !== '.') return false;
  const before = /([\p{L}]+)\.$/u.exec(text.slice(Math.max(0, i - 12), i + 1));
  if (!before) return true;
  const word = before[1]!;
  return !(ABBREVIATIONS.has(word.toLowerCase()) || (word.length === 1 && CAPITALISED.test(word)));
}

/**
 * Headline-style text capitalises every word, so its capitals say nothing about names. A sentence
 * dense with names still has some lowercase content word.
 */
const titleCase = new WeakMap<readonly WordFact[], boolean>();

function isTitleCase(words: readonly WordFact[]): boolean {
  let known = titleCase.get(words);
  if (known === undefined) titleCase.set(words, (known = computeTitleCase(words)));
  return known;
}

function computeTitleCase(words: readonly WordFact[]): boolean {
  const long = words.filter((w) => w.text.length >= 4 && /^\p{L}/u.test(w.text) && !FUNCTION_WORDS.has(w.norm));
  if (long.length < 2) return false;
  return long.filter((w) => !CAPITALISED.test(w.text)).length <= Math.floor(long.length / 10);
}

function isNameWord(w: WordFact): boolean {
  if (!CAPITALISED.test(w.text)) return false;
  // US, IT, WHO: an acronym is a name even when its letters spell a function word.
  if (/^[\p{Lu}\p{N}.]{2,}$/u.test(w.text) && /\p{Lu}.*\p{Lu}/u.test(w.text)) return true;
  return !FUNCTION_WORDS.has(w.norm) && !SMALL_NUMBERS.has(w.norm) && !TENS.has(w.norm);
}

/** Words capitalised in mid-sentence: evidence that a word is a name wherever it appears (shared: do not change). */
const midSentenceCapitals = recent((text: string): ReadonlySet<string> => {
  const words = extractWords(text);
  if (isTitleCase(words)) return new Set();
  return new Set(words.filter((w) => isNameWord(w) && !isSentenceStart(text, w.span[0])).map((w) => w.norm));
});

/** A run of capitalised words, and whether it opens a sentence (or the text is title-cased). */
interface NameRun {
  words: WordFact[];
  initial: boolean;
}

/**
 * What of a text's names depends on the text alone: its runs of capitalised words and whether it is
 * title-cased. Shared (memoised per text: each rewrite's two texts are asked for twice, and a paragraph's
 * MT with every action on it): do not change.
 */
const nameRuns = recent((text: string): { titleCase: boolean; runs: readonly NameRun[] } => {
  const words = extractWords(text);
  const titleCase = isTitleCase(words);
  const runs: WordFact[][] = [];
  let run: WordFact[] = [];
  let prevEnd = -1;
  for (const w of words) {
    const joined = run.length > 0 && /^[ \u00a0]$/.test(text.slice(prevEnd, w.span[0]));
    if (!joined && run.length) {
      runs.push(run);
      run = [];
    }
    // "US$", "HK$": a currency, which the numbers check compares.
    if (isNameWord(w) && text[w.span[1]] !== '$') run.push(w);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
    prevEnd = w.span[1];
  }
  if (run.length) runs.push(run);
  return { titleCase, runs: runs.map((r) => ({ words: r, initial: titleCase || isSentenceStart(text, r[0]!.span[0]) })) };
});

/** Words known as names: capitalised in mid-sentence in any of the texts. */
interface Known {
  has(norm: string): boolean;
}

/**
 * Proper names: runs of capitalised words. A capitalised word opening a sentence counts only when
 * the next word is capitalised too or the word is capitalised in mid-sentence somewhere in the text
 * or in `context` (e.g. the other side of a rewrite). Runs made only of designators are left out.
 */
export function extractNames(text: string, context: readonly string[] = []): NameFact[] {
  const { titleCase, runs } = nameRuns(text);
  const capitals = [midSentenceCapitals(text), ...context.map((t) => midSentenceCapitals(t))];
  const known: Known = { has: (norm) => capitals.some((s) => s.has(norm)) };
  const names: NameFact[] = [];
  for (const { words, initial } of runs) {
    let r = words;
    const first = r[0]!;
    if (initial && !known.has(first.norm) && !(r.length > 1 && !titleCase)) r = r.slice(1);
    if (titleCase) r = dropUnknownFromTitle(r, known);
    // A leading designator is a title ("Mayor Wang Hongbin"), a trailing one part of the name ("Baoan District").
    while (r.length && isDesignator(r[0]!)) r = r.slice(1);
    const core = r.filter((w) => !isDesignator(w) && w.norm.length > 1);
    if (!core.length) continue;
    const start = r[0]!.span[0];
    const last = r[r.length - 1]!;
    const end = last.span[1] - (/['’]s$/u.test(last.text) ? 2 : 0);
    names.push({ text: text.slice(start, end), span: [start, end], norm: r.map((w) => w.norm).join(' '), core });
  }
  return names;
}

/** In a headline only words known as names elsewhere count; the rest is title-casing. */
function dropUnknownFromTitle(run: WordFact[], known: Known): WordFact[] {
  const kept = run.filter((w) => known.has(w.norm));
  if (!kept.length) return [];
  const from = run.indexOf(kept[0]!);
  const to = run.indexOf(kept[kept.length - 1]!);
  return run.slice(from, to + 1);
}
