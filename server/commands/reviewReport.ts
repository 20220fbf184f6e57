/**
 * An article's review report, as Markdown or as a standalone HTML page (a download, with its own
 * <style>): the article's status and effort figures, then every paragraph that changed with its MT,
 * its final text, the word diff between them, who made each change, who approved it, and comments.
 */
import { undecidedLine, undecidedSummary, type UndecidedSummary } from '../core/articleFacts.js';
import { diffWords, type DiffPart } from '../core/diff.js';
import { DECISION_KINDS, DECISION_LABELS, paragraphEfforts, summarize, type EffortSummary, type ParagraphEffort } from '../core/effort.js';
import { HTER_VARIANT } from '../core/metrics.js';
import { articleReview } from '../core/reviewState.js';
import type { Article, Comment, Paragraph, Revision, RevisionAction, Suggestion } from '../core/types.js';
import { BadRequestError, NotFoundError } from './errors.js';
import type { ExportedFile } from './exportArticle.js';
import type { Services } from './services.js';

export const REPORT_FORMATS = ['md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Revisions that changed a paragraph's text or decided on it. */
const CHANGES: RevisionAction[] = ['accept', 'accept-partial', 'edit', 'reject', 'keep', 'revert', 'undo', 'delete', 'split', 'split-off', 'merge', 'merged-away'];
const REVIEWS: RevisionAction[] = ['submit', 'approve', 'send-back', 'reopen'];

const ACTION_LABELS: Partial<Record<RevisionAction, string>> = {
  accept: 'accepted the suggestion',
  'accept-partial': 'accepted part of the suggestion',
  edit: 'edited',
  reject: 'rejected the suggestion',
  keep: 'kept as is',
  revert: 'reverted',
  undo: 'undid an action',
  delete: 'deleted',
  split: 'split',
  'split-off': 'split off',
  merge: 'merged the next paragraph in',
  'merged-away': 'merged into the previous paragraph',
  submit: 'submitted for review',
  approve: 'approved',
  'send-back': 'sent back',
  reopen: 'reopened',
};

const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending', suggested: 'Suggested', accepted: 'Accepted', edited: 'Edited', rejected: 'Rejected', kept: 'Kept as is', deleted: 'Deleted',
};
const REVIEW_LABELS: Record<string, string> = { none: 'Not in review', 'in-review': 'In review', approved: 'Approved', 'sent-back': 'Sent back' };

export interface ReportChange {
  n: number;
  action: RevisionAction;
  author: string;
  at: string;
  seconds?: number;
  revertedTo?: number;
}

export interface ReportParagraph {
  id: string;
  number: number;
  kind: Paragraph['kind'];
  status: Paragraph['status'];
  review: string;
  /** The text differs from the MT (or the paragraph is deleted); else it is here for its review. */
  changed: boolean;
  mt: string;
  final: string;
  diff: DiffPart[];
  /** Absent for deleted paragraphs. */
  effort?: ParagraphEffort;
  /** The suggestion the decision concerned. */
  suggestion?: Pick<Suggestion, 'engine' | 'model' | 'runId'>;
  changes: ReportChange[];
  /** Review actions (submit, approve, send back, reopen) in order. */
  reviews: Array<{ action: RevisionAction; author: string; at: string; comment?: string }>;
  approvedBy: Array<{ author: string; at: string }>;
  comments: Comment[];
}

export interface ReportModel {
  article: { id: string; title: string; status: string; updatedAt: string };
  generatedAt: string;
  variant: string;
  summary: EffortSummary;
  live: number;
  deleted: number;
  approved: number;
  /** Live paragraphs still pending or suggested (kept, accepted, edited and rejected ones are decided). */
  undecided: UndecidedSummary;
  paragraphs: ReportParagraph[];
}

/** Gathers what the report shows; pure. */
export function buildReport(article: Article, history: Revision[], suggestions: Suggestion[], now: Date): ReportModel {
  const efforts = paragraphEfforts({ article, history, suggestions });
  const effortOf = new Map(efforts.map((e) => [e.paragraphId, e]));
  const live = article.paragraphs.filter((p) => p.status !== 'deleted');
  const paragraphs: ReportParagraph[] = [];
  for (const p of article.paragraphs) {
    const changed = p.text !== p.mt || p.status === 'deleted';
    const revs = history.filter((r) => r.paragraphId === p.id).sort((a, b) => a.n - b.n);
    const commented = (p.comments?.length ?? 0) > 0 || revs.some((r) => r.action === 'approve' || r.action === 'send-back');
    if (!changed && !commented) continue;
    const effort = effortOf.get(p.id);
    paragraphs.push({
      id: p.id,
      number: p.index + 1,
      kind: p.kind,
      status: p.status,
      review: p.review ?? 'none',
      changed,
      mt: p.mt,
      final: p.text,
      diff: diffWords(p.mt, p.status === 'deleted' ? '' : p.text),
      ...(effort ? { effort } : {}),
      ...(effort?.suggestion ? { suggestion: { engine: effort.suggestion.engine, model: effort.suggestion.model, ...(effort.suggestion.runId ? { runId: effort.suggestion.runId } : {}) } } : {}),
      changes: revs
        .filter((r) => CHANGES.includes(r.action))
        .map((r) => ({ n: r.n, action: r.action, author: r.author, at: r.at, ...(r.seconds !== undefined ? { seconds: r.seconds } : {}), ...(r.revertedTo ? { revertedTo: r.revertedTo } : {}) })),
      reviews: revs
        .filter((r) => REVIEWS.includes(r.action))
        .map((r) => ({ action: r.action, author: r.author, at: r.at, ...(r.comment ? { comment: r.comment } : {}) })),
      approvedBy: revs.filter((r) => r.action === 'approve').map((r) => ({ author: r.author, at: r.at })),
      comments: p.comments ?? [],
    });
  }
  return {
    article: { id: article.id, title: article.title, status: articleReview(article.paragraphs), updatedAt: article.updatedAt },
    generatedAt: now.toISOString(),
    variant: HTER_VARIANT,
    summary: summarize(article.id, article.title, efforts),
    live: live.length,
    deleted: article.paragraphs.length - live.length,
    approved: live.filter((p) => p.review === 'approved').length,
    undecided: undecidedSummary(article),
    paragraphs,
  };
}

// ---------- formatting shared by both renderings ----------

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;
const n3 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

interface Line {
  label: string;
  value: string;
}

function summaryLines(m: ReportModel): Line[] {
  const s = m.summary;
  const d = s.decisions;
  const lines: Line[] = [
    { label: 'Review status', value: m.article.status },
    { label: 'Paragraphs', value: `${m.live} live · ${s.changed} changed from the MT · ${m.deleted} deleted · ${m.approved} approved` },
    { label: 'Undecided', value: m.undecided.undecided ? undecidedLine(m.undecided) : `none (${undecidedLine(m.undecided)})` },
    {
      label: 'HTER MT → final',
      value: s.hter ? `${n3(s.hter.corpus)} (${s.hter.edits} word edits ÷ ${s.hter.words} final words) · mean per paragraph ${n3(s.hter.mean)}` : '–',
    },
    {
      label: 'HTER suggestion → final',
      value: s.suggestionHter ? `${n3(s.suggestionHter.corpus)} over ${s.suggestionHter.n} paragraph${s.suggestionHter.n === 1 ? '' : 's'} with a suggestion` : '– (no decided suggestion)',
    },
    {
      label: 'Decisions',
      value: d.total
        ? DECISION_KINDS.filter((k) => k !== 'keep' || d.keep > 0).map((k) => `${DECISION_LABELS[k].toLowerCase()} ${d[k]}${s.rates ? ` (${pct(s.rates[k])})` : ''}`).join(' · ') + ` · ${d.total} in all`
        : 'none yet',
    },
    {
      label: 'Time',
      value: s.time.paragraphs
        ? `${duration(s.time.seconds)} over ${s.time.paragraphs} timed paragraph${s.time.paragraphs === 1 ? '' : 's'} · ${s.time.secondsPerWord!.toFixed(2)} s per word`
        : 'not measured',
    },
  ];
  return lines;
}

function changeText(c: ReportChange): string {
  const what = ACTION_LABELS[c.action] ?? c.action;
  return `${what}${c.revertedTo ? ` to revision ${c.revertedTo}` : ''} (revision ${c.n}, ${when(c.at)}${c.seconds !== undefined ? `, ${duration(c.seconds)}` : ''})`;
}

function paragraphFacts(p: ReportParagraph): string[] {
  const facts: string[] = [];
  const e = p.effort;
  if (e) {
    facts.push(
      e.edits === null
        ? `${e.words} words (no MT: made by a split)`
        : `${e.edits} word edit${e.edits === 1 ? '' : 's'} from the MT, ${e.words} words now: HTER ${n3(e.hter)}`,
    );
    if (e.decision) facts.push(`Decision: ${DECISION_LABELS[e.decision.action].toLowerCase()} by ${e.decision.author}, ${when(e.decision.at)}`);
    if (e.suggestion) facts.push(`Suggestion: ${e.suggestion.engine} (${e.suggestion.model})${e.suggestion.runId ? `, run ${e.suggestion.runId}` : ''}: HTER suggestion → final ${n3(e.suggestion.hter)}`);
    if (e.seconds !== null) facts.push(`Time to edit: ${duration(e.seconds)}`);
  }
  return facts;
}

// ---------- Markdown ----------

/** Escapes text so Markdown shows it as written (and never as HTML). */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_~[\]<>|]/g, '\\$&').replace(/^(\s*)([#+-]|\d+[.)])(?=\s)/gm, (_m, sp: string, mark: string) => `${sp}\\${mark}`);
}

function mdQuote(text: string): string {
  return text.split('\n').map((l) => `> ${l}`).join('\n');
}

/** Wraps the non-blank middle of `text` in `mark`, leaving its edge whitespace outside (Markdown needs it so). */
function mdWrap(text: string, mark: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  if (!m[2]) return text;
  return `${m[1]}${m[2].split(/(\n+)/).map((piece) => (/^\n+$/.test(piece) || !piece ? piece : `${mark}${mdEscape(piece)}${mark}`)).join('')}${m[3]}`;
}

export function markdownDiff(parts: DiffPart[]): string {
  return parts.map((p) => (p.op === 'equal' ? mdEscape(p.text) : `${mdWrap(p.del, '~~')}${mdWrap(p.ins, '**')}`)).join('');
}

export function reportToMarkdown(m: ReportModel): string {
  const out: string[] = [];
  out.push(`# Review report: ${mdEscape(m.article.title)}`, '');
  out.push(`Article \`${m.article.id}\` · last changed ${when(m.article.updatedAt)} · report made ${when(m.generatedAt)}`, '');
  out.push('## Summary', '', '| | |', '|---|---|');
  for (const l of summaryLines(m)) out.push(`| ${mdEscape(l.label)} | ${mdEscape(l.value)} |`);
  out.push('', `HTER here: ${mdEscape(m.variant)}; edits ÷ words of the final text.`, '');
  out.push(`## Changed and reviewed paragraphs (${m.paragraphs.length})`, '');
  if (!m.paragraphs.length) out.push('No paragraph has changed from the MT yet.', '');
  for (const p of m.paragraphs) {
    out.push(`### ¶${p.number} · ${STATUS_LABELS[p.status] ?? p.status} · ${REVIEW_LABELS[p.review] ?? p.review}`, '');
    if (p.changed) {
      out.push('**MT**', '', mdQuote(p.mt ? mdEscape(p.mt) : '_(none: made by a split)_'), '');
      out.push('**Final**', '', mdQuote(p.status === 'deleted' ? '_(deleted)_' : mdEscape(p.final)), '');
      out.push('**Word diff, MT → final** (deleted ~~struck through~~, inserted in **bold**)', '', mdQuote(markdownDiff(p.diff) || '_(no change)_'), '');
    } else {
      out.push('**Text** (unchanged from the MT)', '', mdQuote(mdEscape(p.final)), '');
    }
    for (const fact of paragraphFacts(p)) out.push(`- ${mdEscape(fact)}`);
    if (p.changes.length) {
      out.push('- Changed by:');
      for (const c of p.changes) out.push(`  - ${mdEscape(c.author)}: ${mdEscape(changeText(c))}`);
    }
    out.push(`- Approved by: ${p.approvedBy.length ? p.approvedBy.map((a) => `${mdEscape(a.author)} (${when(a.at)})`).join(', ') : 'nobody yet'}${p.approvedBy.length && p.review !== 'approved' ? ` (now ${REVIEW_LABELS[p.review]?.toLowerCase()})` : ''}`);
    if (p.reviews.length) {
      out.push('- Review:');
      for (const r of p.reviews) out.push(`  - ${mdEscape(r.author)} ${ACTION_LABELS[r.action] ?? r.action} (${when(r.at)})${r.comment ? `: ${mdEscape(r.comment)}` : ''}`);
    }
    if (p.comments.length) {
      out.push('- Comments:');
      for (const c of p.comments) out.push(`  - ${mdEscape(c.author)} (${when(c.at)}${c.action ? `, ${c.action}` : ''}): ${mdEscape(c.text).replace(/\n/g, ' ')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

// ---------- HTML ----------

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function htmlDiff(parts: DiffPart[]): string {
  return parts
    .map((p) => (p.op === 'equal' ? htmlEscape(p.text) : `${p.del ? `<del>${htmlEscape(p.del)}</del>` : ''}${p.ins ? `<ins>${htmlEscape(p.ins)}</ins>` : ''}`))
    .join('');
}

const STYLE = `
:root { --ink: #1d2330; --muted: #5d6677; --line: #dde1e8; --ins: #d9f2df; --ins-ink: #0f5a23; --del: #fbe0e0; --del-ink: #8a1c1c; }
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); max-width: 860px; margin: 32px auto; padding: 0 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 15.5px; margin: 0 0 8px; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.meta, .note { color: var(--muted); font-size: 13px; }
table.summary { border-collapse: collapse; width: 100%; }
table.summary th { text-align: left; width: 200px; color: var(--muted); font-weight: 600; vertical-align: top; }
table.summary th, table.summary td { padding: 6px 8px; border-top: 1px solid var(--line); }
section.para { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 14px 0; break-inside: avoid; }
.tag { font-size: 12px; font-weight: 600; border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; color: var(--muted); }
.tag.approved { color: #17652c; border-color: #b5e3c2; background: #dff5e5; }
.texts { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.label { font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 8px 0 2px; }
.text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
del { background: var(--del); color: var(--del-ink); text-decoration: line-through; }
ins { background: var(--ins); color: var(--ins-ink); text-decoration: underline; text-underline-offset: 2px; }
ul { margin: 8px 0 0; padding-left: 20px; font-size: 13.5px; }
blockquote { margin: 2px 0; padding: 2px 10px; border-left: 3px solid var(--line); }
@media print { body { margin: 0; max-width: none; } section.para { border-color: #bbb; } }
`;

export function reportToHtml(m: ReportModel): string {
  const e = htmlEscape;
  const out: string[] = [];
  out.push('<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>Review report: ${e(m.article.title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>');
  out.push(`<h1>Review report: ${e(m.article.title)}</h1>`);
  out.push(`<p class="meta">Article <code>${e(m.article.id)}</code> · last changed ${e(when(m.article.updatedAt))} · report made ${e(when(m.generatedAt))}</p>`);
  out.push('<h2>Summary</h2>', '<table class="summary"><tbody>');
  for (const l of summaryLines(m)) out.push(`<tr><th scope="row">${e(l.label)}</th><td>${e(l.value)}</td></tr>`);
  out.push('</tbody></table>', `<p class="note">HTER here: ${e(m.variant)}; edits ÷ words of the final text.</p>`);
  out.push(`<h2>Changed and reviewed paragraphs (${m.paragraphs.length})</h2>`);
  if (!m.paragraphs.length) out.push('<p>No paragraph has changed from the MT yet.</p>');
  for (const p of m.paragraphs) {
    out.push(`<section class="para" id="${e(p.id)}">`);
    out.push(`<h3>¶${p.number} <span class="tag">${e(STATUS_LABELS[p.status] ?? p.status)}</span> <span class="tag${p.review === 'approved' ? ' approved' : ''}">${e(REVIEW_LABELS[p.review] ?? p.review)}</span></h3>`);
    if (p.changed) {
      out.push('<div class="texts">');
      out.push(`<div><div class="label">MT</div><p class="text">${p.mt ? e(p.mt) : '<em>(none: made by a split)</em>'}</p></div>`);
      out.push(`<div><div class="label">Final</div><p class="text">${p.status === 'deleted' ? '<em>(deleted)</em>' : e(p.final)}</p></div>`);
      out.push('</div>');
      out.push(`<div class="label">Word diff, MT → final</div><p class="text diff">${htmlDiff(p.diff) || '<em>(no change)</em>'}</p>`);
    } else {
      out.push(`<div class="label">Text (unchanged from the MT)</div><p class="text">${e(p.final)}</p>`);
    }
    out.push('<ul>');
    for (const fact of paragraphFacts(p)) out.push(`<li>${e(fact)}</li>`);
    if (p.changes.length) {
      out.push(`<li>Changed by:<ul>${p.changes.map((c) => `<li><strong>${e(c.author)}</strong> ${e(changeText(c))}</li>`).join('')}</ul></li>`);
    }
    out.push(
      `<li>Approved by: ${p.approvedBy.length ? p.approvedBy.map((a) => `<strong>${e(a.author)}</strong> (${e(when(a.at))})`).join(', ') : 'nobody yet'}` +
        `${p.approvedBy.length && p.review !== 'approved' ? ` (now ${e(REVIEW_LABELS[p.review]?.toLowerCase() ?? p.review)})` : ''}</li>`,
    );
    if (p.reviews.length) {
      out.push(`<li>Review:<ul>${p.reviews.map((r) => `<li><strong>${e(r.author)}</strong> ${e(ACTION_LABELS[r.action] ?? r.action)} (${e(when(r.at))})${r.comment ? `: ${e(r.comment)}` : ''}</li>`).join('')}</ul></li>`);
    }
    if (p.comments.length) {
      out.push(`<li>Comments:${p.comments.map((c) => `<blockquote><strong>${e(c.author)}</strong> <span class="meta">${e(when(c.at))}${c.action ? ` · ${e(c.action)}` : ''}</span><br>${e(c.text)}</blockquote>`).join('')}</li>`);
    }
    out.push('</ul>', '</section>');
  }
  out.push('</body>', '</html>', '');
  return out.join('\n');
}

/** The report of one article as a file to download. */
export async function reviewReport(services: Services, articleId: string, format: string): Promise<ExportedFile> {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new BadRequestError(`unknown report format "${format}": use one of ${REPORT_FORMATS.join(', ')}`);
  }
  const article = await services.store.getArticle(articleId);
  if (!article) throw new NotFoundError(`no article "${articleId}"`);
  const [history, suggestions] = await Promise.all([services.store.history(articleId), services.store.suggestions(articleId)]);
  const model = buildReport(article, history, suggestions, services.now());
  const undecided = model.undecided.undecided;
  return format === 'html'
    ? { filename: `${article.id}-review.html`, contentType: 'text/html; charset=utf-8', body: reportToHtml(model), undecided }
    : { filename: `${article.id}-review.md`, contentType: 'text/markdown; charset=utf-8', body: reportToMarkdown(model), undecided };
}
