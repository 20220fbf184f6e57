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
import { extractWords, isFunctionWord } from '../../core/facts.js';
import type { MtFlag } from '../../core/types.js';
import type { ZhName } from '../../core/zh/names.js';
import { inMt } from './nameInMt.js';
import { letters, wordKeys } from './nameMatch.js';
import { citedSourceNames, describe, displayGloss, groupByText, spansOf } from './nameMessages.js';
import { hasSourceCounterpart, mtNameUnits } from './nameMtUnits.js';
import { sourceFacts, type SourceFacts } from './nameSource.js';
import type { MtCheck } from './types.js';

const ID = 'mt-names';

export const mtNamesCheck: MtCheck = {
  id: ID,
  name: 'Names',
  description: 'People, places and organisations in the MT that the source does not name, and source names the MT leaves out.',
  version: 5,
  run(mt, source) {
    if (!source?.trim() || !mt.trim()) return [];
    const src = sourceFacts(source);
    const flags: MtFlag[] = [];
    const unmatchedSource = src.names.filter((n) => !n.solo && !inMt(n, mt));
    const quoted = new Set<ZhName>();

    for (const unit of mtNameUnits(mt)) {
      if (hasSourceCounterpart(unit, src, mt)) continue;
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
