/** A review report as a standalone HTML page (a download, with its own <style>). */
import type { DiffPart } from '../../core/diff.js';
import type { ReportModel } from './model.js';
import { ACTION_LABELS, changeText, paragraphFacts, REVIEW_LABELS, STATUS_LABELS, summaryLines, when } from './text.js';


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
