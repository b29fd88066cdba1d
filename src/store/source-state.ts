/**
 * Per-source fetch state in Redis: the validators sent back on the next conditional GET, the hash
 * of the last body (an unchanged body stops at fetch), and failure bookkeeping for backoff.
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
  /** Epoch ms of the last poll and of the last successful one. */
  lastPollAt?: number;
  lastOkAt?: number;
}

const NUMERIC = new Set(['failures', 'backoffUntil', 'lastPollAt', 'lastOkAt']);

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
}
