/** Turns thrown errors into answers: JSON for the API, a page for the browser; never a stack trace. */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { ZodError } from 'zod';
import { CommandError, ParagraphRefusal, StaleRevisionError } from '../commands/errors.js';
import { NotFoundError as StoreNotFound } from '../store/types.js';
import { storageFault } from '../store/faults.js';
import { presentParagraph } from './presenters.js';
import type { Actor } from '../core/types.js';

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

export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  let status = 500;
  let message = 'something went wrong on the server; the error was logged';
  let code = 'internal';
  const extra: Record<string, unknown> = {};
  const fault = storageFault(err);
  const refused = fault ? undefined : requestFault(err, req);
  if (err instanceof ZodError) {
    status = 400;
    code = 'bad_request';
    message = describeZod(err);
  } else if (err instanceof CommandError) {
    status = err.status;
    code = err.code;
    message = err.message;
    if ((err instanceof StaleRevisionError || err instanceof ParagraphRefusal) && err.current) {
      // With the viewer's `can`, when the request got as far as knowing who they are.
      extra.current = presentParagraph(err.current, undefined, (res.locals.actor as Actor | undefined)?.role);
    }
  } else if (err instanceof StoreNotFound || err instanceof HttpError) {
    status = err.status;
    code = status === 404 ? 'not_found' : 'error';
    message = err.message;
  } else if (fault) {
    status = 503;
    code = fault.code;
    message = fault.message;
    const cause = fault.cause as { code?: string; message?: string } | undefined;
    console.error(`${req.method} ${req.path}: ${fault.message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`);
    if (!res.headersSent) res.set('Retry-After', '5');
  } else if (refused) {
    ({ status, code, message } = refused);
  } else {
    console.error(err);
  }
  // Part of the answer is out (a stream): express's own handler (production settings) cuts the connection.
  if (res.headersSent) return next(err);
  res.status(status);
  if (wantsJson(req)) {
    res.json({ error: message, code, ...extra });
  } else {
    // With the dev flag (POSTEDIT_DEV=1, `npm run dev`) a 500 page shows the stack; never otherwise.
    const detail = status === 500 && req.app.get('env') === 'development' && err instanceof Error ? err.stack : undefined;
    renderError(res, status, message, detail);
  }
};

/**
 * The error page. It must render for any request, also one the body parser refused before the
 * locals middleware ran (app.locals holds defaults for what the layout needs); should the template
 * fail all the same, a plain page says the same thing.
 */
function renderError(res: Response, status: number, message: string, detail?: string): void {
  const title = status === 404 ? 'Not found' : status === 503 ? 'Storage unavailable' : 'Error';
  res.render('error', { title, status, message, ...(detail ? { detail } : {}) }, (renderErr, html) => {
    if (!renderErr) return void res.type('html').send(html);
    console.error(`the error page failed to render: ${renderErr.message}`);
    const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    res.type('html').send(`<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · Postedit</title></head>` +
      `<body><h1>${status} · ${esc(title)}</h1><p>${esc(message)}</p><p><a href="/">Back to the articles</a></p></body></html>\n`);
  });
}

/**
 * What the request itself got wrong before any route ran: the body parsers' errors (malformed JSON
 * or form, too large, an unknown charset) and a path whose %-encoding does not decode. Short
 * messages of our own: the libraries' may name internals.
 */
function requestFault(err: unknown, req: Request): { status: number; code: string; message: string } | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown };
  const json = /json/i.test(req.get('content-type') ?? '');
  switch (e.type) {
    case 'entity.parse.failed':
      return json
        ? { status: 400, code: 'bad_json', message: 'the request body is not valid JSON' }
        : { status: 400, code: 'bad_body', message: 'the request body is not a valid form' };
    case 'entity.too.large':
      return { status: 413, code: 'too_large', message: 'the request is too large (at most 2 MB)' };
    case 'querystring.parse.rangeError':
      return { status: 400, code: 'bad_body', message: 'the form has nested field names (a[b]=…), which are not accepted' };
    case 'parameters.too.many':
      return { status: 413, code: 'too_large', message: 'the form has too many fields' };
    case 'charset.unsupported':
      return { status: 415, code: 'unsupported_charset', message: 'the request body\'s charset is not supported: send UTF-8' };
    case 'encoding.unsupported':
      return { status: 415, code: 'unsupported_encoding', message: 'the request body\'s Content-Encoding is not supported' };
    case 'request.aborted':
      return { status: 400, code: 'bad_body', message: 'the request body was cut short' };
    case 'request.size.invalid':
      return { status: 400, code: 'bad_body', message: 'the request body does not match its Content-Length' };
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  // The router's "Failed to decode param": a URIError with status 400.
  if (err instanceof URIError && status === 400) return { status: 400, code: 'bad_path', message: 'the address contains malformed %-encoding' };
  // Any other client error a library raised (http-errors): its status, with the standard phrase.
  if (status !== undefined && status >= 400 && status < 500 && e.expose !== false) {
    return { status, code: 'bad_request', message: (STATUS_CODES[status] ?? 'bad request').toLowerCase() };
  }
  return undefined;
}
