/**
 * Storage faults in words an operator can act on: a full disk, a read-only data directory, a
 * database that is down. The stores turn the errors they meet into `StorageUnavailableError`; the
 * web layer answers them with 503 (`storage unavailable: …`). Messages never carry a path, a host
 * or a stack: the original error stays in `cause` for the server log.
 */

/**
 * Whether `e` is an error PostgreSQL answered (pg's DatabaseError). pg is loaded only on PostgreSQL
 * (store/pg/database.ts sets this when it loads), so on lowdb nothing is one and pg stays unloaded.
 */
let isDatabaseError: (e: unknown) => boolean = () => false;
export function recogniseDatabaseErrors(check: (e: unknown) => boolean): void {
  isDatabaseError = check;
}

export class StorageUnavailableError extends Error {
  readonly status = 503;
  readonly code = 'storage_unavailable';

  /** `reason`: what is wrong, e.g. "the disk is full". */
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`storage unavailable: ${reason}`, options);
    this.name = 'StorageUnavailableError';
  }
}

/** How a store's health check answers: ok, or why not (no paths). */
export type StoreHealth = { ok: true } | { ok: false; reason: string };

/** File-system errors that mean the data directory cannot be written (or read) right now. */
const FILE_FAULTS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the data directory is read-only',
  EACCES: 'the data directory is not writable (permission denied)',
  EPERM: 'the data directory is not writable (operation not permitted)',
  EIO: 'the disk reported an input/output error',
  EISDIR: 'a data file cannot be written (a directory is in its place)',
  ENOTDIR: 'a data file cannot be written (a file is in the place of a directory)',
  EMFILE: 'the server has too many open files',
  ENFILE: 'the system has too many open files',
  EFBIG: 'a data file is larger than the system allows',
};

/** Network errors of a database connection. */
const NETWORK_FAULTS: Record<string, string> = {
  ECONNREFUSED: 'the database is not reachable (connection refused)',
  ECONNRESET: 'the connection to the database was reset',
  ETIMEDOUT: 'the database did not answer in time',
  EHOSTUNREACH: 'the database host is unreachable',
  ENETUNREACH: 'the database network is unreachable',
  ENOTFOUND: 'the database host name is not known',
  EAI_AGAIN: 'the database host name could not be resolved',
  EPIPE: 'the connection to the database was lost',
};

/** pg's own messages when a connection ends or cannot be made (these errors carry no code). */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /^Client was closed and is not queryable/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** The SQLSTATEs of a database that is down, going down, full or read-only. */
function pgStateReason(code: string): string | undefined {
  if (code.startsWith('08')) return 'the connection to the database failed';
  if (code === '57P01') return 'the database is shutting down';
  if (code === '57P02') return 'the database crashed and is restarting';
  if (code === '57P03') return 'the database is not accepting connections yet';
  if (code === '53100') return "the database's disk is full";
  if (code === '53300') return 'the database has too many connections';
  if (code.startsWith('53')) return 'the database is out of resources';
  if (code === '25006') return 'the database is read-only';
  if (code.startsWith('58')) return 'the database reported a system error';
  return undefined;
}

/**
 * The storage fault `e` stands for, or undefined when it is something else (a bug, a bad request).
 * `StorageUnavailableError`s are returned as they are.
 */
export function storageFault(e: unknown): StorageUnavailableError | undefined {
  if (e instanceof StorageUnavailableError) return e;
  if (!e || typeof e !== 'object') return undefined;
  const err = e as { code?: unknown; message?: unknown; syscall?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  const message = typeof err.message === 'string' ? err.message : '';
  if (isDatabaseError(e) && code) {
    const reason = pgStateReason(code);
    return reason ? new StorageUnavailableError(reason, { cause: e }) : undefined;
  }
  if (code && FILE_FAULTS[code] && typeof err.syscall === 'string') return new StorageUnavailableError(FILE_FAULTS[code], { cause: e });
  if (code && NETWORK_FAULTS[code]) return new StorageUnavailableError(NETWORK_FAULTS[code], { cause: e });
  if (PG_CONNECTION_MESSAGES.some((m) => m.test(message))) {
    return new StorageUnavailableError(/starting up|recovery/i.test(message) ? 'the database is not accepting connections yet' : 'the connection to the database was lost', { cause: e });
  }
  // A Node system error wrapped by another (AggregateError of several addresses, say).
  if (e instanceof AggregateError) for (const inner of e.errors) {
    const f = storageFault(inner);
    if (f) return f;
  }
  return undefined;
}

/** `e` as a StorageUnavailableError when it is a storage fault, else `e` itself. */
export function asStorageFault(e: unknown): unknown {
  return storageFault(e) ?? e;
}

/** Runs `check` with a time limit: a store that does not answer is down too. */
export async function checkWithin(ms: number, check: () => Promise<StoreHealth>): Promise<StoreHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<StoreHealth>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${Math.round(ms / 1000)} s` }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      check().catch((e: unknown): StoreHealth => ({ ok: false, reason: storageFault(e)?.reason ?? 'the check failed' })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
