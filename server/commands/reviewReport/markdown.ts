/** A review report as Markdown. */
import type { DiffPart } from '../../core/diff.js';
import type { ReportModel } from './model.js';
import { ACTION_LABELS, changeText, paragraphFacts, REVIEW_LABELS, STATUS_LABELS, summaryLines, when } from './text.js';


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
