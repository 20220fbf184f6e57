/** Articles for the interchange tests: the seed article and a hostile one, with every status and review state. */
import { readFileSync } from 'node:fs';
import { segmentArticle } from '../../server/core/segment.js';
import type { Article, Paragraph } from '../../server/core/types.js';
import { seedPath } from '../support/app.js';

export const seedText = readFileSync(seedPath, 'utf8');

/** Entities written out, markup, quotes, right-to-left scripts, zero-width and bidi controls, CDATA ends. */
export const hostileLines = [
  'Breaking &amp; news &lt;b&gt; from “Gaza” <script>alert("x")</script>',
  'Body with & and < and > and "double" and \'single\' quotes, &#x41; and &nbsp; written out.',
  'مرحبا بالعالم، هذا نص عربي مع رقم 2024.',
  'שלום עולם, זה טקסט בעברית עם "ציטוט".',
  'Zero\u200Bwidth space, zero\u200Dwidth joiner, word\u2060joiner, \u202Eright-to-left override\u202C and a BOM\uFEFF inside.',
  'A CDATA end ]]> and a start <![CDATA[ and a comment <!-- no --> and a PI <?php echo 1; ?>.',
  'Mixed עברית and English and العربية in one sentence.',
];
export const hostileText = hostileLines.join('\n') + '\n';

export function articleFrom(text: string, id = 'test-article', source?: string[]): Article {
  const seg = segmentArticle(text, 'text', id);
  const paragraphs: Paragraph[] = seg.segments.map((s, i) => ({
    id: `p${i + 1}`,
    index: i,
    kind: s.kind,
    ...(source ? { source: source[i]! } : {}),
    mt: s.text,
    text: s.text,
    status: 'pending',
    revision: 1,
  }));
  return {
    id,
    title: seg.title,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    contentHash: 'x',
    hasSource: !!source,
    hasReference: false,
    paragraphs,
    nextParagraph: paragraphs.length + 1,
    undo: [],
  };
}

/**
 * Gives the paragraphs every status and review state in turn: some edited (with line breaks and
 * hostile characters), some approved, one deleted, findings on the edited ones.
 */
export function withEveryState(article: Article): Article {
  const a = structuredClone(article);
  a.paragraphs.forEach((p, i) => {
    switch (i % 9) {
      case 1:
        p.status = 'accepted';
        p.text = `${p.text} (accepted)`;
        break;
      case 2:
        p.status = 'edited';
        p.text = `Edited: ${p.text}\nwith a second line & <markup>`;
        p.findings = [{ check: 'numbers', severity: 'warning', message: 'The number "1000000000" is missing & <gone>.', beforeSpans: [[0, 4]], afterSpans: [] }];
        break;
      case 3:
        p.status = 'rejected';
        break;
      case 4:
        p.status = 'accepted';
        p.review = 'in-review';
        break;
      case 5:
        p.status = 'edited';
        p.text = `${p.text} — approved`;
        p.review = 'approved';
        p.findings = [{ check: 'length', severity: 'info', message: 'Much shorter than the MT.', beforeSpans: [], afterSpans: [] }];
        break;
      case 6:
        p.status = 'accepted';
        p.review = 'sent-back';
        break;
      case 7:
        p.status = 'deleted';
        break;
      case 8:
        p.status = 'suggested';
        break;
      default:
      // pending
    }
  });
  return a;
}

export function live(article: Article): Paragraph[] {
  return article.paragraphs.filter((p) => p.status !== 'deleted');
}
