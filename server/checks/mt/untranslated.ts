/**
 * Untranslated check: source-script text left in the English MT — Chinese characters, Japanese
 * kana, Korean hangul — one major flag per run. Works without a source; with one, the flag points at
 * where the run occurs in it. Full-width CJK punctuation alone (，。：) is a minor flag: the meaning
 * is there, the punctuation is not English.
 */
import type { MtFlag } from '../../core/types.js';
import { lookupZhWord, toSimplified } from '../../core/zh/dict.js';
import { segmentZh } from '../../core/zh/segment.js';
import type { MtCheck } from './types.js';

const ID = 'mt-untranslated';

/** Letters of the CJK scripts (ー, the kana length mark, is "Common" in Unicode but only ever Japanese). */
const SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005]/u;
/** CJK punctuation and full-width forms of ASCII punctuation, as Chinese text writes them. */
const CJK_PUNCTUATION = /[\u3000-\u3004\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/u;
/** What may sit inside one untranslated run: spaces, digits, CJK punctuation, a middle dot. */
const JOINER = /[\s\d\u00b7\u30fb]/u;
/** Longest run quoted in a message, in characters. */
const MAX_QUOTED = 24;
/** Runs this short get their dictionary meaning in the message. */
const MAX_GLOSSED = 6;

export const untranslatedCheck: MtCheck = {
  id: ID,
  name: 'Untranslated',
  description: 'Chinese (or Japanese, Korean) text left in the English MT.',
  version: 1,
  run(mt, source) {
    const flags: MtFlag[] = [];
    for (const run of cjkRuns(mt)) {
      const text = mt.slice(run.start, run.end);
      if (!run.letters) {
        flags.push({
          start: run.start,
          end: run.end,
          kind: 'untranslated',
          severity: 'minor',
          message: `Chinese punctuation in English text: "${text}"`,
          check: ID,
        });
        continue;
      }
      const at = source ? source.indexOf(text) : -1;
      const meaning = run.end - run.start <= MAX_GLOSSED ? glossOf(text) : undefined;
      flags.push({
        start: run.start,
        end: run.end,
        kind: 'untranslated',
        severity: 'major',
        message: `${languageOf(text)} left untranslated: "${quote(text)}"${meaning ? ` (${meaning})` : ''}`,
        check: ID,
        ...(at >= 0 ? { sourceSpans: [[at, at + text.length] as [number, number]] } : {}),
      });
    }
    return flags;
  },
};

interface Run {
  start: number;
  end: number;
  /** Whether the run has CJK letters, not only punctuation. */
  letters: boolean;
}

/** Maximal stretches of CJK letters and punctuation, joined across spaces and digits between them. */
function cjkRuns(text: string): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  let i = 0;
  for (const ch of text) {
    const letter = SCRIPT.test(ch);
    if (letter || CJK_PUNCTUATION.test(ch)) {
      if (current && /^[\s\d\u00b7\u30fb]*$/u.test(text.slice(current.end, i))) {
        current.end = i + ch.length;
        current.letters ||= letter;
      } else {
        current = { start: i, end: i + ch.length, letters: letter };
        runs.push(current);
      }
    } else if (!JOINER.test(ch)) current = undefined;
    i += ch.length;
  }
  // Punctuation at the edges of a run of letters is left to the English around it.
  return runs.map((r) => (r.letters ? trimPunctuation(text, r) : r));
}

function trimPunctuation(text: string, run: Run): Run {
  let { start, end } = run;
  while (start < end && !SCRIPT.test(text[start]!)) start++;
  while (end > start && !SCRIPT.test(text[end - 1]!)) end--;
  // Digits written onto the characters are part of the phrase: 2月9日.
  while (start > 0 && /\d/u.test(text[start - 1]!)) start--;
  return { start, end, letters: true };
}

function languageOf(text: string): string {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}\u30fc]/u.test(text)) return 'Japanese';
  if (/\p{Script=Hangul}/u.test(text)) return 'Korean';
  return 'Chinese';
}

function quote(text: string): string {
  const chars = [...text];
  return chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED).join('')}…` : text;
}

/** "防卫 = defense": the first gloss of each word of a short Chinese run. */
function glossOf(text: string): string | undefined {
  if (!/^[\p{Script=Han}\s]+$/u.test(text)) return undefined;
  const glosses = segmentZh(toSimplified(text)).map((t) => lookupZhWord(t.word)?.glosses[0]);
  if (glosses.some((g) => !g)) return undefined;
  return `= ${glosses.join(' ')}`;
}
