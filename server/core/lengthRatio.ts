/** An article's typical MT/source length ratio: what the MT length check compares each paragraph with. */

/** Median of MT length / source length over the pairs that have both; undefined when none has. */
export function medianLengthRatio(pairs: Iterable<{ mt: string; source?: string | undefined }>): number | undefined {
  const ratios: number[] = [];
  for (const { mt, source } of pairs) if (mt && source?.trim()) ratios.push(mt.length / source.length);
  if (!ratios.length) return undefined;
  ratios.sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  return ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
}
