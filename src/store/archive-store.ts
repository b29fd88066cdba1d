/**
 * A feed's archive (RFC 5005 §4, "Archived Feeds"): every article that enters a feed gets the
 * feed's next sequence number, once; archive page k holds the articles numbered
 * (k-1)·size+1 … k·size, page 1 the oldest. Numbers are never given again nor taken back, so an
 * article is in the same page for good, whatever corrections do to its last-update time (the
 * score of the feed's index). A page is rendered once, when it fills (the publish worker), and
 * its bytes never change; retention takes the oldest pages away once every article in them has
 * been pruned. The bytes are stored by FeedStore beside the feeds' (`keys.archivePage`).
 */
import type { Redis } from 'ioredis';
import { keys, type Keys } from './keys.ts';
import { defineScripts } from './lua-scripts.ts';

type ScriptRedis = Redis & {
  wfArchiveSequence(index: string, seq: string, state: string, size: string, limit: string, sweep: string): Promise<number[]>;
  wfArchiveMark(state: string, pages: string, first: string): Promise<number[]>;
};

export interface ArchiveState {
  /** Articles per page, fixed when the archive began (a later FEED_SIZE does not recut pages). */
  size: number;
  /** The last sequence number given: the feed's articles numbered so far. */
  next: number;
  /** Full pages stored: 1 … pages exist, except those before `first`. */
  pages: number;
  /** The oldest page kept; the ones before it are gone with their articles. */
  first: number;
  /** Articles are left without a number (a first run on a large store): call again. */
  more: boolean;
}

/** Newcomers found by score per call: a first run on a large feed takes several publish jobs. */
export const SEQUENCE_BATCH = 10_000;
/** Index members the sweep for late newcomers (scored below the newest) looks at per call: about 1 ms of Redis at 1M members. */
export const SEQUENCE_SWEEP = 250;

export class ArchiveStore {
  readonly #redis: ScriptRedis;
  readonly #keys: Keys;

  constructor(redis: Redis, prefix: string) {
    this.#keys = keys(prefix);
    defineScripts(redis, { 'archive-sequence': 3, 'archive-mark': 1 });
    this.#redis = redis as ScriptRedis;
  }

  /**
   * Numbers the feed's newcomers (in index order) and returns the archive's state. Cost: the
   * newcomers, plus `sweep` index members looked at for late ones (a story stored now with a last
   * update older than the feed's newest), so a late one is numbered within ⌈feed size / sweep⌉ calls.
   */
  async sequence(feed: string, size: number, limit = SEQUENCE_BATCH, sweep = SEQUENCE_SWEEP): Promise<ArchiveState> {
    const k = this.#keys;
    const [s, next, pages, first, more] = await this.#redis.wfArchiveSequence(k.index(feed), k.archiveSeq(feed), k.archiveState(feed), String(size), String(limit), String(sweep));
    return { size: Number(s), next: Number(next), pages: Number(pages), first: Number(first), more: Number(more) === 1 };
  }

  /** The archive's state without numbering anything; null for a feed without an archive. */
  async state(feed: string): Promise<Omit<ArchiveState, 'more'> | null> {
    const [size, next, pages, first] = await this.#redis.hmget(this.#keys.archiveState(feed), 'size', 'next', 'pages', 'first');
    if (!size) return null;
    return { size: Number(size), next: Number(next ?? 0), pages: Number(pages ?? 0), first: Number(first ?? 1) };
  }

  /** Ids numbered into page `page`, newest number first; `inFeed`: only those still in the feed. */
  async pageIds(feed: string, page: number, size: number, inFeed = true): Promise<string[]> {
    const ids = (await this.#redis.zrange(this.#keys.archiveSeq(feed), String(page * size), String((page - 1) * size + 1), 'BYSCORE', 'REV')) as string[];
    if (!inFeed || ids.length === 0) return ids;
    // An article withdrawn or moved out of the feed before its page filled is not in the page.
    const scores = await this.#redis.zmscore(this.#keys.index(feed), ...ids);
    return ids.filter((_, i) => scores[i] !== null);
  }

  /** Records pages up to `pages` stored and pages before `first` gone (either 0: unchanged). */
  async mark(feed: string, pages: number, first = 0): Promise<{ pages: number; first: number }> {
    const [p, f] = await this.#redis.wfArchiveMark(this.#keys.archiveState(feed), String(pages), String(first));
    return { pages: Number(p), first: Number(f) };
  }

  /**
   * Retention: the oldest pages whose articles are all gone from the store (pruned), from the
   * oldest kept on, at most `limit` per call. Returns the page numbers to delete; their numbers
   * leave the sequence. The caller deletes the bytes, then {@link mark}s the new first page.
   */
  async expired(feed: string, state: Pick<ArchiveState, 'size' | 'pages' | 'first'>, limit = 10): Promise<number[]> {
    const gone: number[] = [];
    for (let page = state.first; page <= state.pages && gone.length < limit; page++) {
      const ids = await this.pageIds(feed, page, state.size, false);
      if (ids.length > 0 && (await this.#redis.exists(...ids.map((id) => this.#keys.article(id)))) > 0) break;
      gone.push(page);
    }
    if (gone.length > 0) {
      await this.#redis.zremrangebyscore(this.#keys.archiveSeq(feed), (gone[0]! - 1) * state.size + 1, gone.at(-1)! * state.size);
    }
    return gone;
  }
}
