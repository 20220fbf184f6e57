/**
 * Interchange routes: XLIFF / DOCX / HTML export (exports.ts), file upload with preview (uploads.ts),
 * glossaries and glossary files (glossaries.ts).
 *
 *   GET    /api/articles/:id/export?format=xliff|xliff2|docx|html[&srcLang=zh&trgLang=en]
 *          (other formats fall through to the API router's txt/md/json export)
 *   POST   /api/articles/upload[?preview=1]   multipart: file (+ source, reference; title, preview)
 *   POST   /api/articles                      multipart only (same as /upload); JSON falls through
 *   GET    /api/articles/:id/glossary         the glossary that applies and the terms each paragraph holds
 *   GET    /api/glossaries[?articleId=ID]     uploaded glossaries
 *   POST   /api/glossaries                    a glossary file or entries, for the corpus or one article
 *   DELETE /api/glossaries?articleId=ID       (no articleId: the uploaded corpus glossary)
 *
 * Mounted before the API router. CSRF: the app's csrfProtect runs before any router, when a
 * multipart body is not parsed yet, so it only sees the `x-csrf-token` header. The upload page
 * therefore uploads with fetch and that header (public/upload.js); there is no multipart no-JS form
 * (the paste form stays the no-JS import). API-token clients need no CSRF token.
 */
import { Router } from 'express';
import type { Services } from '../commands/services.js';
import type { GlossaryStore } from '../store/glossaryStore.js';
import { exportRoutes } from './exports.js';
import { glossaryRoutes } from './glossaries.js';
import { uploadRoutes } from './uploads.js';

export { INTERCHANGE_EXPORT_FORMATS, WARNINGS_HEADER } from './exports.js';

export interface InterchangeOptions {
  /** Where uploaded glossaries live; default the services' (`DATA_DIR/glossaries.json`, or PostgreSQL). */
  glossaries?: GlossaryStore;
}

export function interchangeRouter(services: Services, options: InterchangeOptions = {}): Router {
  const r = Router();
  const withGlossaries = options.glossaries ? { ...services, glossaries: options.glossaries } : services;
  exportRoutes(r, services);
  uploadRoutes(r, services);
  glossaryRoutes(r, withGlossaries);
  return r;
}
