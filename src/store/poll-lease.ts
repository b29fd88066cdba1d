/**
 * One poll per source at a time, across every process sharing the Redis: a poll takes the
 * source's lease (SET NX PX) before it starts and gives it back when it ends. The lease names
 * its holder (the claim owner id of its process): a lease left by a process that was killed
 * mid-poll is taken over as soon as that process is known to be dead, and in any case it expires
 * by itself after the poll's deadline plus a margin.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys, type Keys } from './keys.ts';
import { defineScripts } from './lua-scripts.ts';

/** src/store/scripts/lease-*.lua. */
type ScriptRedis = Redis & {
  wfLeaseRelease(key: string, token: string): Promise<number>;
  wfLeaseTakeOver(key: string, old: string, token: string, ttlMs: number): Promise<number>;
};

/** The holder named in a lease token (`<holder>/<random>`). */
export function leaseHolder(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash < 0 ? token : token.slice(0, slash);
}

export class PollLeases {
  readonly #redis: ScriptRedis;
  readonly #keys: Keys;

  constructor(redis: Redis, prefix: string) {
    this.#keys = keys(prefix);
    defineScripts(redis, { 'lease-release': 1, 'lease-take-over': 1 });
    this.#redis = redis as ScriptRedis;
  }

  #token(holder: string): string {
    return `${holder}/${randomBytes(8).toString('hex')}`;
  }

  #ttl(ttlMs: number): number {
    return Math.max(1, Math.ceil(ttlMs));
  }

  /**
   * Takes the source's lease for `ttlMs`, in `holder`'s name: its token, or null while another
   * poll holds it. `isDead` is asked about the holder of a lease found taken: a dead holder's
   * lease is taken over.
   */
  async acquire(sourceId: string, ttlMs: number, holder: string, isDead?: (holder: string) => Promise<boolean>): Promise<string | null> {
    const key = this.#keys.pollLease(sourceId);
    const token = this.#token(holder);
    if ((await this.#redis.set(key, token, 'PX', this.#ttl(ttlMs), 'NX')) === 'OK') return token;
    const held = await this.#redis.get(key);
    if (held === null) return (await this.#redis.set(key, token, 'PX', this.#ttl(ttlMs), 'NX')) === 'OK' ? token : null;
    if (!isDead || leaseHolder(held) === holder || !(await isDead(leaseHolder(held)))) return null;
    return (await this.#redis.wfLeaseTakeOver(key, held, token, this.#ttl(ttlMs))) === 1 ? token : null;
  }

  /** Gives the lease back if it is still ours; false when it had expired (or another poll holds it). */
  async release(sourceId: string, token: string): Promise<boolean> {
    return (await this.#redis.wfLeaseRelease(this.#keys.pollLease(sourceId), token)) === 1;
  }
}
