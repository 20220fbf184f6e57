/** Turns thrown errors into answers: JSON for the API, a page for the browser; never a stack trace. */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { CommandError, ParagraphRefusal, StaleRevisionError } from '../commands/errors.js';
import { NotFoundError as StoreNotFound } from '../store/types.js';
import { presentParagraph } from './presenters.js';

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || (req.get('accept') ?? '').includes('application/json') && !(req.get('accept') ?? '').includes('text/html');
}

function describeZod(e: ZodError): string {
  return e.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export const notFound: RequestHandler = (req, _res, next) => next(new HttpError(404, `nothing at ${req.path}`));

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let status = 500;
  let message = 'something went wrong on the server; the error was logged';
  let code = 'internal';
  const extra: Record<string, unknown> = {};
  if (err instanceof ZodError) {
    status = 400;
    code = 'bad_request';
    message = describeZod(err);
  } else if (err instanceof CommandError) {
    status = err.status;
    code = err.code;
    message = err.message;
    if ((err instanceof StaleRevisionError || err instanceof ParagraphRefusal) && err.current) {
      extra.current = presentParagraph(err.current);
    }
  } else if (err instanceof StoreNotFound || err instanceof HttpError) {
    status = err.status;
    code = status === 404 ? 'not_found' : 'error';
    message = err.message;
  } else if (typeof err === 'object' && err && 'type' in err && (err as { type: string }).type === 'entity.too.large') {
    status = 413;
    code = 'too_large';
    message = 'the request is too large';
  } else if (typeof err === 'object' && err && 'type' in err && (err as { type: string }).type === 'entity.parse.failed') {
    status = 400;
    code = 'bad_json';
    message = 'the request body is not valid JSON';
  } else {
    console.error(err);
  }
  if (res.headersSent) return;
  res.status(status);
  if (wantsJson(req)) {
    res.json({ error: message, code, ...extra });
  } else {
    res.render('error', { title: status === 404 ? 'Not found' : 'Error', status, message });
  }
};
