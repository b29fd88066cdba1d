/**
 * One poll per source at a time, across every process sharing the Redis: a poll takes the
 * source's lease (SET NX PX) before it starts and gives it back when it ends. The lease expires
 * by itself after the poll's deadline plus a margin, so a process killed mid-poll blocks the
 * source for that long at most.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { keys, type Keys } from './keys.ts';

const RELEASE_LUA = readFileSync(new URL('./release-lease.lua', import.meta.url), 'utf8');

type ScriptRedis = Redis & { wfReleaseLease(key: string, token: string): Promise<number> };

export class PollLeases {
  readonly #redis: ScriptRedis;
  readonly #keys: Keys;

  constructor(redis: Redis, prefix: string) {
    this.#keys = keys(prefix);
    if (!('wfReleaseLease' in redis)) redis.defineCommand('wfReleaseLease', { numberOfKeys: 1, lua: RELEASE_LUA });
    this.#redis = redis as ScriptRedis;
  }

  /** Takes the source's lease for `ttlMs`; its token, or null while another poll holds it. */
  async acquire(sourceId: string, ttlMs: number): Promise<string | null> {
    const token = randomBytes(12).toString('hex');
    const ok = await this.#redis.set(this.#keys.pollLease(sourceId), token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return ok === 'OK' ? token : null;
  }

  /** Gives the lease back if it is still ours; false when it had expired (or another poll holds it). */
  async release(sourceId: string, token: string): Promise<boolean> {
    return (await this.#redis.wfReleaseLease(this.#keys.pollLease(sourceId), token)) === 1;
  }
}
