/**
 * HTML export: the clean article as one standalone, printable page. Every piece of text is escaped;
 * the only markup is the page's own. Paragraphs carry `dir="auto"` so right-to-left text reads right
 * to left. The style sheet is embedded: the file is a download (Content-Disposition: attachment)
 * meant to be opened or printed on its own.
 */
import { undecidedLine, undecidedSummary } from '../core/articleFacts.js';
import type { Article } from '../core/types.js';
import { xmlSafe } from './xml.js';

/** Escapes text for HTML; characters XML cannot carry (control characters) are left out. */
export function escapeHtml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escaped text with line breaks kept as <br>. */
function block(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>\n');
}

const STYLE = `
  :root { color-scheme: light; }
  body { margin: 0; background: #fff; color: #111; font: 12pt/1.6 Georgia, "Times New Roman", "Noto Serif", "Noto Serif CJK SC", serif; }
  article { max-width: 42em; margin: 2.5em auto; padding: 0 1.5em; }
  h1 { font-size: 1.9em; line-height: 1.25; margin: 0 0 .6em; }
  h2 { font-size: 1.3em; line-height: 1.3; margin: 1.4em 0 .5em; }
  p { margin: 0 0 1em; text-align: start; overflow-wrap: anywhere; }
  p.undecided { font: 10pt/1.4 system-ui, sans-serif; border: 1px solid #b58100; background: #fff6db; padding: .4em .7em; }
  h1, h2, p { unicode-bidi: plaintext; }
  @media print {
    article { max-width: none; margin: 0; padding: 0; }
    h1, h2 { break-after: avoid; page-break-after: avoid; }
    p { orphans: 3; widows: 3; }
  }
`;

export interface HtmlOptions {
  /** Language of the text (BCP 47), default the article's target language (`en` when it does not say). */
  lang?: string;
}

/** The clean article (live paragraphs, current text) as a standalone HTML page. */
export function articleToHtml(article: Article, options: HtmlOptions = {}): string {
  const wanted = options.lang ?? article.targetLang;
  const lang = wanted && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(wanted) ? wanted : 'en';
  // Undecided paragraphs: always in a meta tag; stated on the page (and on paper) while there are any.
  const undecided = undecidedSummary(article);
  const draftNote = undecided.undecided ? `<p class="undecided" role="note">Draft: ${escapeHtml(undecidedLine(undecided))}.</p>\n` : '';
  let first = true;
  const body = article.paragraphs
    .filter((p) => p.status !== 'deleted')
    .map((p) => {
      if (p.kind !== 'heading') return `<p dir="auto">${block(p.text)}</p>`;
      const tag = first ? 'h1' : 'h2';
      first = false;
      return `<${tag} dir="auto">${block(p.text)}</${tag}>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Postedit">
<meta name="postedit-undecided" content="${undecided.undecided}">
<title>${escapeHtml(article.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<article>
${draftNote}${body}
</article>
</body>
</html>
`;
}
