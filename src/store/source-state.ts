/**
 * Per-source fetch state in Redis: the validators sent back on the next conditional GET, the hash
 * of the last body (an unchanged body stops at fetch), when the last poll started and ended, and
 * failure bookkeeping for backoff (the count incremented in Redis, never read-modify-written),
 * the source's health, when it is polled next and why, the URL a permanent redirect moved it to,
 * and what the source said about its own polling (its publishing rate, RSS ttl, sy:update*).
 */
import type { Redis } from 'ioredis';
import { HostLimits } from './host-limits.ts';
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
  /** healthy | failing | unhealthy (src/fetch/poll-schedule.ts); absent: never polled. */
  health?: string;
  /** Epoch ms of the next poll, and why then (floor, publishing-rate, ttl, max-age, backoff…). */
  nextPollAt?: number;
  nextReason?: string;
  /** The URL polled instead of the configured one, after a permanent redirect seen by 3 polls in a row (poll-source.ts). */
  effectiveUrl?: string;
  /** The configured URL `effectiveUrl` replaced (a changed sources.yaml drops it). */
  effectiveFrom?: string;
  /** The target of the permanent redirect(s) the last polls saw, and how many polls in a row saw it. */
  redirectTarget?: string;
  redirectSeen?: number;
  /** Mean interval of the source's items over the last week (ms), as measured at its last new document. */
  rateMs?: number;
  /** RSS ttl and sy:updatePeriod/Frequency (ms) of its last document. */
  ttlMs?: number;
  syndicationMs?: number;
}

const NUMERIC = new Set(['failures', 'backoffUntil', 'lastPollAt', 'lastOkAt', 'lastPollEnd', 'nextPollAt', 'redirectSeen', 'rateMs', 'ttlMs', 'syndicationMs']);

export class SourceStateStore {
  readonly #redis: Redis;
  readonly #keys: Keys;

  /** Per-host request slots, shared by every worker (the same Redis). */
  readonly hosts: HostLimits;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#keys = keys(prefix);
    this.hosts = new HostLimits(redis, prefix);
  }

  /** The state of each source, in order (one round trip). */
  async getMany(sourceIds: readonly string[]): Promise<SourceState[]> {
    if (sourceIds.length === 0) return [];
    const tx = this.#redis.multi();
    for (const id of sourceIds) tx.hgetall(this.#keys.source(id));
    const replies = (await tx.exec()) ?? [];
    return sourceIds.map((_, i) => {
      const [err, h] = replies[i] ?? [new Error('transaction discarded'), null];
      if (err) throw err;
      return parse(h as Record<string, string>);
    });
  }

  async get(sourceId: string): Promise<SourceState> {
    return parse(await this.#redis.hgetall(this.#keys.source(sourceId)));
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
   * `patch`, then what `after` makes of the new count (backoffUntil, health, next poll). Returns
   * the count.
   */
  async recordFailure(sourceId: string, patch: Omit<Partial<SourceState>, 'failures'>, after: (failures: number) => Partial<SourceState>): Promise<number> {
    const key = this.#keys.source(sourceId);
    const tx = this.#redis.multi().hincrby(key, 'failures', 1);
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    if (Object.keys(set).length) tx.hset(key, set);
    const replies = await tx.exec();
    const [err, count] = replies?.[0] ?? [new Error('transaction discarded'), 0];
    if (err) throw err;
    const failures = Number(count);
    await this.update(sourceId, after(failures));
    return failures;
  }
}

function parse(h: Record<string, string>): SourceState {
  const state: Record<string, string | number> = { failures: 0, backoffUntil: 0 };
  for (const [k, v] of Object.entries(h)) state[k] = NUMERIC.has(k) ? Number(v) : v;
  return state as unknown as SourceState;
}
