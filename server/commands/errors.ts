/** Typed errors of user actions. Routes map `status` to HTTP; the CLI prints `message`. */
import type { Paragraph } from '../core/types.js';

export class CommandError extends Error {
  readonly status: number = 400;
  readonly code: string = 'bad_request';
}

export class BadRequestError extends CommandError {}

export class NotFoundError extends CommandError {
  override readonly status = 404;
  override readonly code = 'not_found';
}

export class ForbiddenError extends CommandError {
  override readonly status = 403;
  override readonly code = 'forbidden';
}

/** The paragraph changed since the editor loaded it; `current` lets them compare and choose. */
export class StaleRevisionError extends CommandError {
  override readonly status = 409;
  override readonly code = 'stale_revision';
  constructor(message: string, readonly current: Paragraph) {
    super(message);
  }
}

/** A refusal that comes with the paragraph as it is now, so the page can show it. */
export abstract class ParagraphRefusal extends CommandError {
  constructor(message: string, readonly current?: Paragraph) {
    super(message);
  }
}

/** The action does not apply to the paragraph's current status. */
export class InvalidStateError extends ParagraphRefusal {
  override readonly status = 409;
  override readonly code = 'invalid_state';
}

/** A run or suggest-all met a paragraph an editor already decided on: it is left alone. */
export class DecidedError extends ParagraphRefusal {
  override readonly status = 409;
  override readonly code = 'decided';
}

/** The engine failed; nothing was stored. */
export class EngineFailedError extends CommandError {
  override readonly status = 502;
  override readonly code = 'engine_failed';
}

/** The suggestion carries fact-guard warnings: accepting it needs an explicit confirmation. */
export class ConfirmationRequiredError extends ParagraphRefusal {
  override readonly status = 409;
  override readonly code = 'confirmation_required';
}

/** The paragraph is approved: text changes wait until a reviewer reopens it. */
export class LockedError extends ParagraphRefusal {
  override readonly status = 423;
  override readonly code = 'locked';
}
