/**
 * When to poll a failing source again. Transient failures back off exponentially from the poll
 * interval; failures that need an operator (404, HTML instead of a feed) back off harder; a 429
 * waits for what the origin asked (Retry-After).
 */
import type { WireError } from '../model/wire-error.ts';

const MAX_TRANSIENT_MS = 6 * 3_600_000;
const MAX_PERMANENT_MS = 24 * 3_600_000;

/**
 * Epoch ms before which the source is not polled again, after its `failures`-th failure in a row.
 * `nowMs` is when the failed poll ENDED: a request that hung for its whole timeout must not have
 * eaten the backoff.
 */
export function backoffUntil(err: WireError, failures: number, everyMs: number, nowMs: number): number {
  if (err.advice === 'delay') return nowMs + (err.delayMs ?? 10 * 60_000);
  const n = Math.max(1, failures);
  const cap = err.advice === 'give-up' ? MAX_PERMANENT_MS : MAX_TRANSIENT_MS;
  const factor = err.advice === 'give-up' ? 2 ** n : 2 ** (n - 1);
  return nowMs + Math.min(everyMs * factor, cap);
}
