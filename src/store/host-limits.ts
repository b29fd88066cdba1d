/**
 * Per-host request limits shared by every worker on every machine (they share the Redis): at
 * most N requests in flight and at most R started per minute per host. A poll takes a slot
 * before its request and gives it back when the request ends; a slot of a process killed
 * mid-request expires with the request's deadline. A poll that finds no slot is put off, not
 * failed (src/fetch/poll-source.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys, type Keys } from './keys.ts';
import { defineScripts } from './lua-scripts.ts';

/** src/store/scripts/host-slot.lua. */
type ScriptRedis = Redis & {
  wfHostSlot(inFlight: string, recent: string, token: string, maxInFlight: number, perMinute: number, ttlMs: number): Promise<[number, number, string]>;
};

export interface HostLimit {
  /** Requests in flight at once to the host. */
  concurrency: number;
  /** Requests started per minute to the host. */
  perMinute: number;
}

export type SlotAnswer = { ok: true; token: string } | { ok: false; waitMs: number; why: 'in-flight' | 'rate' };

export class HostLimits {
  readonly #redis: ScriptRedis;
  readonly #keys: Keys;

  constructor(redis: Redis, prefix: string) {
    this.#keys = keys(prefix);
    defineScripts(redis, { 'host-slot': 2 });
    this.#redis = redis as ScriptRedis;
  }

  /** Takes a slot of `host` for at most `ttlMs`, or says how long until one may be free. */
  async acquire(host: string, limit: HostLimit, ttlMs: number): Promise<SlotAnswer> {
    const token = randomBytes(8).toString('hex');
    const [ok, waitMs, why] = await this.#redis.wfHostSlot(
      this.#keys.hostInFlight(host),
      this.#keys.hostRecent(host),
      token,
      limit.concurrency,
      limit.perMinute,
      Math.max(1, Math.ceil(ttlMs)),
    );
    return ok === 1 ? { ok: true, token } : { ok: false, waitMs: Number(waitMs), why: why === 'rate' ? 'rate' : 'in-flight' };
  }

  /** Gives a slot back (the minute's count keeps it: it was a request started). */
  async release(host: string, token: string): Promise<void> {
    await this.#redis.zrem(this.#keys.hostInFlight(host), token);
  }

  /** Requests in flight to `host` now (for tests and the listing). */
  async inFlight(host: string): Promise<number> {
    return this.#redis.zcount(this.#keys.hostInFlight(host), Date.now(), '+inf');
  }
}
