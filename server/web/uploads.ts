/**
 * Uploaded files over HTTP: multipart bodies read into memory within the upload limits (multer),
 * with refusals that say what to do, and the article upload route (preview or import).
 *
 *   POST   /api/articles/upload[?preview=1]   multipart: file (+ source, reference; title, preview)
 *   POST   /api/articles                      multipart only (same as /upload); JSON falls through
 */
import type { Request, RequestHandler, Router } from 'express';
import multer from 'multer';
import { BadRequestError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { importPrepared, MAX_UPLOAD_BYTES, prepareUpload, safeName, UPLOAD_EXTENSIONS, type UploadedFile } from '../interchange/upload.js';
import { HttpError } from './errors.js';
import { presentArticle } from './presenters.js';
import { actorOf, authorize } from './session.js';

const MB = MAX_UPLOAD_BYTES / (1024 * 1024);

/** Runs a multer middleware and turns its errors into answers that say what to do. */
export function multipart(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    handler(req, res, (err?: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        const file = (err as multer.MulterError & { filename?: string }).filename;
        const named = file ? `${safeName(file)}: ` : '';
        switch (err.code) {
          case 'LIMIT_FILE_SIZE':
            return next(new HttpError(413, `${named}the file is larger than ${MB} MB, the most that can be uploaded`));
          case 'LIMIT_UNEXPECTED_FILE':
            return next(new HttpError(400, `unexpected file field "${err.field ?? ''}": send the article as "file" (and optionally "source" and "reference"), one file each`));
          case 'LIMIT_FILE_COUNT':
          case 'LIMIT_PART_COUNT':
          case 'LIMIT_FIELD_COUNT':
            return next(new HttpError(400, 'too many parts in the upload: send one article file, and at most one source and one reference file'));
          default:
            return next(new HttpError(400, `the upload could not be read: ${err.message}`));
        }
      }
      // busboy's own complaints (a cut-off or malformed multipart body).
      if (err instanceof Error && !(err instanceof HttpError)) return next(new HttpError(400, `the upload could not be read: ${err.message}`));
      next(err);
    });
  };
}

export const upload = multer({
  storage: multer.memoryStorage(),
  // Browsers send UTF-8 file names without saying so.
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 3, fields: 10, fieldSize: 64 * 1024, parts: 16 },
});

function fileOf(req: Request, field: string): UploadedFile | undefined {
  const files = req.files as Record<string, Express.Multer.File[]> | undefined;
  const f = files?.[field]?.[0];
  return f ? { name: f.originalname, data: f.buffer } : undefined;
}

function flag(value: unknown): boolean {
  return value === '1' || value === 'true' || value === 'yes' || value === true;
}

/** The article upload routes, on `r`. */
export function uploadRoutes(r: Router, services: Services): void {
  const fields = upload.fields([{ name: 'file', maxCount: 1 }, { name: 'source', maxCount: 1 }, { name: 'reference', maxCount: 1 }]);
  const handleUpload: RequestHandler = async (req, res) => {
    const main = fileOf(req, 'file');
    if (!main) {
      throw new BadRequestError(
        req.is('multipart/form-data')
          ? `no file: send the article as the multipart field "file" (${UPLOAD_EXTENSIONS.join(', ')})`
          : 'send the file as multipart/form-data with the field "file"',
      );
    }
    const source = fileOf(req, 'source');
    const reference = fileOf(req, 'reference');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const title = typeof body.title === 'string' ? body.title.slice(0, 300) : undefined;
    const prepared = await prepareUpload(main, { ...(source ? { source } : {}), ...(reference ? { reference } : {}) });
    const { plan: _plan, contentHash, ...shown } = prepared;
    if (flag(req.query.preview) || flag(body.preview)) {
      // `existing`: the article an import would answer with instead of creating one.
      const existing = await services.store.findArticleByHash(contentHash);
      res.json({
        preview: true,
        ...shown,
        ...(title?.trim() ? { title: title.trim() } : {}),
        truncated: prepared.count > prepared.paragraphs.length,
        ...(existing ? { existing } : {}),
      });
      return;
    }
    const { article, created } = await importPrepared(services, prepared, actorOf(res), title);
    res.status(created ? 201 : 200).json({ ...presentArticle(article, undefined, actorOf(res).role), created, format: prepared.format, warnings: prepared.warnings });
  };
  r.post('/api/articles/upload', authorize('import'), multipart(fields), handleUpload);
  r.post('/api/articles', (req, _res, next) => (req.is('multipart/form-data') ? next() : next('route')), authorize('import'), multipart(fields), handleUpload);
}
