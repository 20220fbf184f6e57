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

/** The action does not apply to the paragraph's current status. */
export class InvalidStateError extends CommandError {
  override readonly status = 409;
  override readonly code = 'invalid_state';
  constructor(message: string, readonly current?: Paragraph) {
    super(message);
  }
}

/** The engine failed; nothing was stored. */
export class EngineFailedError extends CommandError {
  override readonly status = 502;
  override readonly code = 'engine_failed';
}

/** The suggestion carries fact-guard warnings: accepting it needs an explicit confirmation. */
export class ConfirmationRequiredError extends CommandError {
  override readonly status = 409;
  override readonly code = 'confirmation_required';
  constructor(message: string, readonly current?: Paragraph) {
    super(message);
  }
}

/** The paragraph is approved: text changes wait until a reviewer reopens it. */
export class LockedError extends CommandError {
  override readonly status = 423;
  override readonly code = 'locked';
  constructor(message: string, readonly current?: Paragraph) {
    super(message);
  }
}
