/**
 * Rendered feed entries (src/render/feed-entries.ts), kept so that an article's entry is rendered
 * once per format and feed language, not again on every publish of every feed it is in.
 *
 * One hash per article (`keys.entries(id)`): the revision the entries were rendered from and one
 * field per slot (format and feed language). A read asks for a revision and gets nothing from a
 * hash of another; a write of another revision replaces the hash whole (entry-put.lua). Hashes
 * expire {@link ENTRY_TTL_S} after their last write: what matters is the few days an article
 * spends among the newest of its feeds, and an entry needed after that is rendered again.
 */
import type { Redis } from 'ioredis';
import { keys, type Keys } from './keys.ts';
import { defineScripts } from './lua-scripts.ts';

/** How long an article's entries are kept after their last write: a day. */
export const ENTRY_TTL_S = 86_400;

/** Entries per script call (each a few kilobytes). */
export const ENTRY_CHUNK = 100;

export interface EntryWrite {
  id: string;
  rev: string;
  slot: string;
  entry: string;
}

type ScriptRedis = Redis & { wfEntryPut(numberOfKeys: number, ...args: (string | number)[]): Promise<number> };

export class EntryStore {
  readonly #redis: ScriptRedis;
  readonly #keys: Keys;
  readonly #ttlSeconds: number;

  constructor(redis: Redis, prefix: string, ttlSeconds = ENTRY_TTL_S) {
    defineScripts(redis, { 'entry-put': 'dynamic' });
    this.#redis = redis as ScriptRedis;
    this.#keys = keys(prefix);
    this.#ttlSeconds = ttlSeconds;
  }

  /**
   * The stored entries of each article (`wanted`, in order) in each of `slots`: `undefined` where
   * none is stored, or only one of another revision. One round trip.
   */
  async read(wanted: readonly { id: string; rev: string }[], slots: readonly string[]): Promise<(string | undefined)[][]> {
    if (wanted.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const { id } of wanted) pipeline.hmget(this.#keys.entries(id), 'rev', ...slots);
    const rows = (await pipeline.exec()) ?? [];
    return wanted.map(({ rev }, i) => {
      const [err, values] = rows[i] ?? [new Error('no answer')];
      if (err) throw err;
      const [storedRev, ...entries] = values as (string | null)[];
      return slots.map((_, j) => (storedRev === rev ? (entries[j] ?? undefined) : undefined));
    });
  }

  /** Stores entries, {@link ENTRY_CHUNK} per script call. Returns how many article hashes were (re)started. */
  async write(writes: readonly EntryWrite[]): Promise<number> {
    let replaced = 0;
    for (let from = 0; from < writes.length; from += ENTRY_CHUNK) {
      const chunk = writes.slice(from, from + ENTRY_CHUNK);
      const args: (string | number)[] = chunk.map((w) => this.#keys.entries(w.id));
      args.push(this.#ttlSeconds);
      for (const w of chunk) args.push(w.rev, w.slot, w.entry);
      replaced += Number(await this.#redis.wfEntryPut(chunk.length, ...args));
    }
    return replaced;
  }
}
