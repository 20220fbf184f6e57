/**
 * Scoring an engine on a set of human post-edits ({id, src, mt, pe} JSON Lines, as in MLQE-PE):
 * how far the MT and the engine's output are from what the post-editor wrote, and whether the engine
 * left alone the sentences that needed no edit.
 */
import { corpusHter, hter, HTER_VARIANT, wordEditDistance } from './metrics.js';

export interface EvalItem {
  id: string;
  src?: string;
  mt: string;
  pe: string;
}

export interface EvalOutcome {
  item: EvalItem;
  /** The engine's rewrite of `mt`. */
  output: string;
  /** Fact guard warnings on mt → output. */
  warnings: number;
}

export interface HterPair {
  /** Mean of sentence HTERs. */
  mean: number;
  /** Σ edits ÷ Σ reference words. */
  corpus: number;
}

export interface EvalFigures {
  n: number;
  hterMt: HterPair;
  hterEngine: HterPair;
  /** Sentences whose post-edit equals the MT. */
  untouchedEligible: number;
  /** Of those, the ones the engine left unchanged. */
  untouchedKept: number;
  /** untouchedKept ÷ untouchedEligible; null when no sentence needed no edit. */
  untouchedShare: number | null;
  warnings: number;
  sentencesWithWarnings: number;
  variant: string;
}

export interface EvalReport {
  set: string;
  engine: string;
  model: string;
  level: string;
  n: number;
  /** Sentence-mean HTER, the figure the shared set's README quotes first; corpus figures beside. */
  hter_mt: number;
  hter_engine: number;
  hter_mt_corpus: number;
  hter_engine_corpus: number;
  untouched_share: number | null;
  untouched_eligible: number;
  warnings: number;
  failed: number;
  variant: string;
}

/** Reads the JSON Lines set; a line that is not a {id?, mt, pe} object is an error naming its number. */
export function parseEvalSet(text: string): EvalItem[] {
  const items: EvalItem[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1} is not valid JSON`);
    }
    const o = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    if (typeof o.mt !== 'string' || typeof o.pe !== 'string') throw new Error(`line ${i + 1} needs string fields "mt" and "pe"`);
    items.push({
      id: typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : `line-${i + 1}`,
      ...(typeof o.src === 'string' ? { src: o.src } : {}),
      mt: o.mt,
      pe: o.pe,
    });
  });
  return items;
}

/** Same words, whitespace aside: zero edits. */
export function unchanged(a: string, b: string): boolean {
  return wordEditDistance(a, b) === 0;
}

function mean(values: number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0;
}

export function scoreEval(outcomes: EvalOutcome[]): EvalFigures {
  const eligible = outcomes.filter((o) => unchanged(o.item.mt, o.item.pe));
  const kept = eligible.filter((o) => unchanged(o.output, o.item.mt)).length;
  return {
    n: outcomes.length,
    hterMt: {
      mean: mean(outcomes.map((o) => hter(o.item.mt, o.item.pe))),
      corpus: corpusHter(outcomes.map((o) => ({ hypothesis: o.item.mt, reference: o.item.pe }))),
    },
    hterEngine: {
      mean: mean(outcomes.map((o) => hter(o.output, o.item.pe))),
      corpus: corpusHter(outcomes.map((o) => ({ hypothesis: o.output, reference: o.item.pe }))),
    },
    untouchedEligible: eligible.length,
    untouchedKept: kept,
    untouchedShare: eligible.length ? kept / eligible.length : null,
    warnings: outcomes.reduce((s, o) => s + o.warnings, 0),
    sentencesWithWarnings: outcomes.filter((o) => o.warnings > 0).length,
    variant: HTER_VARIANT,
  };
}

export function evalReport(meta: { set: string; engine: string; model: string; level: string; failed: number }, f: EvalFigures): EvalReport {
  return {
    set: meta.set,
    engine: meta.engine,
    model: meta.model,
    level: meta.level,
    n: f.n,
    hter_mt: f.hterMt.mean,
    hter_engine: f.hterEngine.mean,
    hter_mt_corpus: f.hterMt.corpus,
    hter_engine_corpus: f.hterEngine.corpus,
    untouched_share: f.untouchedShare,
    untouched_eligible: f.untouchedEligible,
    warnings: f.warnings,
    failed: meta.failed,
    variant: f.variant,
  };
}

const fixed = (x: number) => x.toFixed(3);

/** The figures as the eval command prints them. */
export function formatEval(meta: { set: string; engine: string; model: string; level: string; failed: number }, f: EvalFigures): string {
  const share = f.untouchedShare === null ? 'n/a (no sentence in the set needed no edit)' : `${f.untouchedKept} of ${f.untouchedEligible} = ${fixed(f.untouchedShare)}`;
  return [
    `set ${meta.set}: n=${f.n} sentences${meta.failed ? ` (${meta.failed} more failed and are left out)` : ''}`,
    `engine ${meta.engine} (${meta.model}), level ${meta.level}`,
    `HTER variant: ${f.variant}`,
    '                     sentence mean   corpus',
    `HTER(MT, PE)         ${fixed(f.hterMt.mean).padStart(13)}   ${fixed(f.hterMt.corpus)}`,
    `HTER(engine, PE)     ${fixed(f.hterEngine.mean).padStart(13)}   ${fixed(f.hterEngine.corpus)}`,
    `untouched_share: ${share}  (of sentences whose PE equals the MT, the share the engine left unchanged)`,
    `guard warnings: ${f.warnings} on ${f.sentencesWithWarnings} sentence${f.sentencesWithWarnings === 1 ? '' : 's'}`,
  ].join('\n');
}
