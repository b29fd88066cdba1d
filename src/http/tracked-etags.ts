/**
 * The current ETag of every stored rendering, held in this process and kept current by Redis
 * itself (client-side caching: `CLIENT TRACKING … REDIRECT` to a subscriber connection). A
 * revalidation — most of a feed's requests: readers poll, and 304 is the usual answer — then
 * costs no round trip to Redis, and still does not answer for bytes older than the stored ones:
 * Redis tells this process of every write to a key it read, and the held ETag is dropped when
 * that message arrives (a fraction of a millisecond after the write on a local socket).
 *
 * Two connections of their own: `reader` (fail-fast, tracking on) reads the ETags; `subscriber`
 * (RESP2, where tracking messages arrive as pub/sub messages on `__redis__:invalidate`; ioredis
 * drops RESP3's invalidate pushes) hears of the writes. While either is not connected nothing is
 * held and every call asks Redis, so an outage is seen by the next request, as without the cache.
 * A read that was in flight when an invalidation (or a reconnection) came is not kept: its answer
 * may predate the write.
 */
import type { Redis } from 'ioredis';
import { keys, type Keys } from '../store/keys.ts';

const INVALIDATE_CHANNEL = '__redis__:invalidate';

export class TrackedEtags {
  readonly #reader: Redis;
  readonly #subscriber: Redis;
  readonly #keys: Keys;
  /** Key of a rendering → its ETag (null: none stored); only while tracking is on. */
  readonly #held = new Map<string, string | null>();
  #tracking = false;
  /** Moves on every invalidation and every change of tracking: a read that saw it move is not kept. */
  #epoch = 0;
  #enabling: Promise<void> | null = null;
  #again = false;
  /** The subscriber's client id while it is subscribed (the REDIRECT target). */
  #subscriberId: string | null = null;

  /**
   * `reader`: a fail-fast connection for this alone (its reads are tracked); `subscriber`: one
   * created with `protocol: 2` and `autoResubscribe: false`, for this alone.
   */
  constructor(reader: Redis, subscriber: Redis, prefix: string) {
    this.#reader = reader;
    this.#subscriber = subscriber;
    this.#keys = keys(prefix);
    subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer[] | Buffer | null) => {
      if (String(channel) === INVALIDATE_CHANNEL) this.#invalidate(payload);
    });
    for (const conn of [reader, subscriber]) {
      conn.on('ready', () => this.#enable());
      conn.on('close', () => this.#off());
    }
    // A new subscriber connection has a new id and no subscription (autoResubscribe is off).
    subscriber.on('close', () => {
      this.#subscriberId = null;
    });
    if (reader.status === 'ready' && subscriber.status === 'ready') this.#enable();
  }

  /** Whether ETags are held (both connections up, tracking on). */
  get tracking(): boolean {
    return this.#tracking;
  }

  /** How many ETags are held. */
  get size(): number {
    return this.#held.size;
  }

  /** The ETag of the stored rendering of `feed` in `format`, null when none is stored. Rejects when Redis cannot be read. */
  async etag(feed: string, format: string): Promise<string | null> {
    const key = this.#keys.rendered(feed, format);
    if (this.#tracking) {
      const held = this.#held.get(key);
      if (held !== undefined) return held;
    }
    const epoch = this.#epoch;
    const value = await this.#reader.hget(key, 'etag');
    if (this.#tracking && epoch === this.#epoch) this.#held.set(key, value);
    return value;
  }

  #invalidate(payload: Buffer[] | Buffer | null): void {
    this.#epoch++;
    // null: the whole keyspace (FLUSHALL, FLUSHDB); otherwise the keys written.
    if (payload === null || !Array.isArray(payload)) {
      this.#held.clear();
      return;
    }
    for (const key of payload) this.#held.delete(String(key));
  }

  #off(): void {
    this.#tracking = false;
    this.#epoch++;
    this.#held.clear();
  }

  #enable(): void {
    if (this.#enabling) {
      // The other connection came up while this one's start was under way: go again after it.
      this.#again = true;
      return;
    }
    this.#again = false;
    this.#enabling = this.#start().finally(() => {
      this.#enabling = null;
      if (this.#again && !this.#tracking) this.#enable();
    });
  }

  async #start(): Promise<void> {
    if (this.#reader.status !== 'ready' || this.#subscriber.status !== 'ready') return;
    try {
      if (this.#subscriberId === null) {
        // The id first: a RESP2 connection that has subscribed takes no other command.
        const id = String(await this.#subscriber.client('ID'));
        await this.#subscriber.subscribe(INVALIDATE_CHANNEL);
        this.#subscriberId = id;
      }
      // Again after the reader reconnected too: tracking is a property of the connection.
      await this.#reader.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', this.#subscriberId);
      this.#epoch++;
      this.#tracking = true;
    } catch {
      // A connection dropped on the way: its 'ready' starts this again.
      this.#off();
    }
  }
}
