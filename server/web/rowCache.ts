/**
 * Rendered editor rows, kept as bytes and keyed by everything a row shows (paragraph revision,
 * suggestion, comments, the viewer's role). A 1,000-paragraph article re-renders only the rows that
 * changed; the page is assembled from buffers, so nothing is re-encoded either.
 *
 * Rows embed the viewer's CSRF token in their forms; it is rendered as a placeholder and the row is
 * cached as the pieces between placeholders, so one cached row serves every session.
 */
import type { Express } from 'express';
import type { Article, Paragraph, Role } from '../core/types.js';
import { paragraphView } from './presenters.js';
import type { GlossaryEntry } from '../core/glossary.js';
import type { ParagraphMtFlags } from '../checks/mt/flagCache.js';

export const CSRF_PLACEHOLDER = '\u0000csrf\u0000';
const MAX_BYTES = 64 * 1024 * 1024;

function renderView(app: Express, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => app.render(view, locals, (err, html) => (err ? reject(err) : resolve(html))));
}

/** What a row shows of its MT flags, as part of its key ('' while not checked). */
function mtKey(mt: ParagraphMtFlags | undefined): string {
  if (!mt) return '';
  return `${mt.risk}:${mt.flags.map((f) => `${f.check}${f.start}-${f.end}`).join(',')}`;
}

export function rowKey(article: Article, p: Paragraph, role: Role, glossaryRevision: number, mt?: ParagraphMtFlags): string {
  return [article.id, p.id, p.revision, p.suggestion?.id ?? '', p.comments?.length ?? 0, p.index, role, glossaryRevision, mtKey(mt)].join('|');
}

export class RowCache {
  #rows = new Map<string, Buffer[]>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(private readonly app: Express, private readonly maxBytes = MAX_BYTES) {}

  get stats() {
    return { rows: this.#rows.size, bytes: this.#bytes, hits: this.#hits, misses: this.#misses };
  }

  /** The row's HTML pieces, split where the CSRF token goes. */
  async row(article: Article, p: Paragraph, role: Role, glossary: { entries: GlossaryEntry[]; revision: number }, locals: Record<string, unknown>, mt?: ParagraphMtFlags): Promise<Buffer[]> {
    const key = rowKey(article, p, role, glossary.revision, mt);
    const hit = this.#rows.get(key);
    if (hit) {
      this.#hits++;
      // Refresh its place in the eviction order.
      this.#rows.delete(key);
      this.#rows.set(key, hit);
      return hit;
    }
    this.#misses++;
    const html = await renderView(this.app, 'partials/paragraph', { ...locals, article, row: paragraphView(p, glossary.entries, mt, role), csrfToken: CSRF_PLACEHOLDER });
    const pieces = html.split(CSRF_PLACEHOLDER).map((s) => Buffer.from(s));
    this.#rows.set(key, pieces);
    this.#bytes += pieces.reduce((n, b) => n + b.length, 0);
    while (this.#bytes > this.maxBytes && this.#rows.size > 1) {
      const [oldest, value] = this.#rows.entries().next().value!;
      this.#rows.delete(oldest);
      this.#bytes -= value.reduce((n, b) => n + b.length, 0);
    }
    return pieces;
  }
}

/** Joins row pieces with the viewer's CSRF token between them. */
export function joinPieces(pieces: Buffer[], csrf: Buffer, out: Buffer[]): void {
  pieces.forEach((piece, i) => {
    if (i > 0) out.push(csrf);
    out.push(piece);
  });
}
