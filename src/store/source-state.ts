/**
 * Per-source fetch state in Redis: the validators sent back on the next conditional GET, the hash
 * of the last body (an unchanged body stops at fetch), when the last poll started and ended, and
 * failure bookkeeping for backoff (the count incremented in Redis, never read-modify-written).
 */
import type { Redis } from 'ioredis';
import { keys, type Keys } from './keys.ts';

export interface SourceState {
  etag?: string;
  lastModified?: string;
  bodyHash?: string;
  /** Consecutive failed polls. */
  failures: number;
  /** Epoch ms before which polls are skipped (backoff, Retry-After). */
  backoffUntil: number;
  lastStatus?: string;
  lastError?: string;
  /** Epoch ms the last poll started, the last successful one started, and the last poll ended. */
  lastPollAt?: number;
  lastOkAt?: number;
  lastPollEnd?: number;
}

const NUMERIC = new Set(['failures', 'backoffUntil', 'lastPollAt', 'lastOkAt', 'lastPollEnd']);

export class SourceStateStore {
  readonly #redis: Redis;
  readonly #keys: Keys;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#keys = keys(prefix);
  }

  async get(sourceId: string): Promise<SourceState> {
    const h = await this.#redis.hgetall(this.#keys.source(sourceId));
    const state: Record<string, string | number> = { failures: 0, backoffUntil: 0 };
    for (const [k, v] of Object.entries(h)) state[k] = NUMERIC.has(k) ? Number(v) : v;
    return state as unknown as SourceState;
  }

  /** Sets the given fields; a field set to undefined is removed. */
  async update(sourceId: string, patch: Partial<SourceState>): Promise<void> {
    const key = this.#keys.source(sourceId);
    const set: Record<string, string> = {};
    const del: string[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) del.push(k);
      else set[k] = String(v);
    }
    const tx = this.#redis.multi();
    if (Object.keys(set).length) tx.hset(key, set);
    if (del.length) tx.hdel(key, ...del);
    await tx.exec();
  }

  /**
   * Counts one more failed poll (HINCRBY: two failures recorded at once both count), sets
   * `patch`, then `backoffUntil` from the new count. Returns the count.
   */
  async recordFailure(sourceId: string, patch: Omit<Partial<SourceState>, 'failures' | 'backoffUntil'>, backoffUntil: (failures: number) => number): Promise<number> {
    const key = this.#keys.source(sourceId);
    const tx = this.#redis.multi().hincrby(key, 'failures', 1);
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    if (Object.keys(set).length) tx.hset(key, set);
    const replies = await tx.exec();
    const [err, count] = replies?.[0] ?? [new Error('transaction discarded'), 0];
    if (err) throw err;
    const failures = Number(count);
    await this.#redis.hset(key, 'backoffUntil', String(backoffUntil(failures)));
    return failures;
  }
}
