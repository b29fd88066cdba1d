/**
 * The error catalogue. Every failure the core or an edge reports is a WireError with a stable
 * code that says what to do next. Only the worker layer turns these into BullMQ's
 * UnrecoverableError / DelayedError (see workers/).
 */

export type ErrorCode =
  // fetch
  | 'FETCH_TIMEOUT' // total timeout hit: retry later
  | 'FETCH_NETWORK' // DNS, refused, reset: retry later
  | 'HTTP_429' // rate limited: delay by Retry-After
  | 'HTTP_5XX' // origin failing: retry later
  | 'HTTP_4XX' // 404, 410, 403…: back off hard, the operator must look
  | 'BODY_TOO_LARGE' // over the size cap: give up on this document
  | 'NOT_A_FEED' // HTML page or unknown format: give up on this document
  // ingest
  | 'PARSE_ERROR' // malformed document: give up on this document
  | 'EMPTY_DOCUMENT' // 0 bytes or no item: give up on this document
  | 'BINARY_BODY' // not text in any charset (NUL bytes, control characters, U+FFFD): give up
  | 'UNKNOWN_SOURCE'; // job names a source that is not configured (config changed)

export type RetryAdvice = 'retry' | 'delay' | 'give-up';

const ADVICE: Record<ErrorCode, RetryAdvice> = {
  FETCH_TIMEOUT: 'retry',
  FETCH_NETWORK: 'retry',
  HTTP_429: 'delay',
  HTTP_5XX: 'retry',
  HTTP_4XX: 'give-up',
  BODY_TOO_LARGE: 'give-up',
  NOT_A_FEED: 'give-up',
  PARSE_ERROR: 'give-up',
  EMPTY_DOCUMENT: 'give-up',
  BINARY_BODY: 'give-up',
  UNKNOWN_SOURCE: 'give-up',
};

export class WireError extends Error {
  readonly code: ErrorCode;
  /** For `delay` errors: milliseconds to wait before the next attempt (e.g. from Retry-After). */
  readonly delayMs: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; delayMs?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WireError';
    this.code = code;
    this.delayMs = options?.delayMs;
  }

  get advice(): RetryAdvice {
    return ADVICE[this.code];
  }
}

export function isWireError(err: unknown): err is WireError {
  return err instanceof WireError;
}

/** Every code of the catalogue (the README's table lists each with what to do). */
export const ERROR_CODES = Object.keys(ADVICE) as ErrorCode[];

/**
 * The one way an error is put in words for a log line, a `.error.txt`, a job's failed reason or
 * an HTTP answer: `CODE: message` for a WireError, the message of any other error.
 */
export function errorText(err: unknown): string {
  if (isWireError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
