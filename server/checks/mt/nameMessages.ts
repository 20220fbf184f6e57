/** How the names check quotes source names in its messages: which to cite, their glosses, their spans. */
import type { ZhName } from '../../core/zh/names.js';

/** Source names quoted in one message. */
const MAX_QUOTED = 3;

/** The unmatched source names an MT name may stand for: places for a place, people for a person. */
export function citedSourceNames(unmatched: readonly ZhName[], person: boolean): ZhName[] {
  const fitting = unmatched.filter((n) => (person ? n.kind === 'person' : n.kind !== 'person' && n.kind !== 'latin'));
  return fitting.slice(0, MAX_QUOTED);
}

/** "美日菲 = US, Japan, Philippines": a group of abbreviations is shown whole. */
export function describe(names: readonly ZhName[], all: readonly ZhName[]): string {
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

export function displayGloss(n: ZhName): string {
  if (n.kind === 'person' || n.kind === 'latin') return n.english[n.english.length - 1] ?? n.text;
  const us = n.english.find((e) => ['US', 'USA', 'United States'].includes(e));
  if (us) return 'US';
  const shortest = [...n.english].sort((a, b) => a.length - b.length).slice(0, 2);
  return shortest.join('/');
}

export function spansOf(names: readonly ZhName[]): Array<[number, number]> {
  const spans = new Map<string, [number, number]>();
  for (const n of names) {
    const span: [number, number] = n.group ? [n.group.start, n.group.end] : [n.start, n.end];
    spans.set(span.join(), span);
  }
  return [...spans.values()];
}

export function groupByText(names: readonly ZhName[]): ZhName[][] {
  const groups = new Map<string, ZhName[]>();
  for (const n of names) {
    const list = groups.get(n.text);
    if (list) list.push(n);
    else groups.set(n.text, [n]);
  }
  return [...groups.values()];
}
