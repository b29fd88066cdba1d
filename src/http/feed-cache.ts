/**
 * The last rendering served of each feed and format, kept in memory as a fallback for when Redis
 * cannot be read: stale bytes, with their validators, are better for a reader than a hang or an
 * error. Bounded by the total size of the bytes held (each body and its compressed forms), least
 * recently used out first.
 *
 * Not a read cache: every request still reads Redis while it answers (see server.ts), and the
 * entry is replaced by what Redis returned.
 */
import type { RenderedFeed } from '../store/feed-store.ts';

/** Default bound of the bytes held, bodies counted in UTF-8, plus their gzip and brotli forms. */
export const DEFAULT_FEED_CACHE_BYTES = 64 * 1024 * 1024;

interface Entry {
  feed: RenderedFeed;
  bytes: number;
}

export class FeedCache {
  readonly maxBytes: number;
  /** A Map iterates in insertion order: the first key is the least recently used. */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(maxBytes = DEFAULT_FEED_CACHE_BYTES) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held (sum of the bodies' UTF-8 lengths and of their compressed forms). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Keeps `rendered` as the last bytes of `feed` in `format`; one larger than the bound is not kept. */
  set(feed: string, format: string, rendered: RenderedFeed): void {
    const key = `${feed}\u0000${format}`;
    const current = this.#entries.get(key);
    const codings = (f: RenderedFeed) => Object.keys(f.encoded ?? {}).join(',');
    if (current?.feed.etag === rendered.etag && current.feed.lastModified === rendered.lastModified && codings(current.feed) === codings(rendered)) {
      this.#touch(key, current);
      return;
    }
    this.#drop(key);
    let bytes = Buffer.byteLength(rendered.body, 'utf8');
    for (const encoded of Object.values(rendered.encoded ?? {})) bytes += encoded.length;
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { feed: rendered, bytes });
    this.#bytes += bytes;
    for (const [oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#drop(oldest);
    }
  }

  /** The last bytes kept of `feed` in `format`, marked most recently used; null when none. */
  get(feed: string, format: string): RenderedFeed | null {
    const key = `${feed}\u0000${format}`;
    const entry = this.#entries.get(key);
    if (!entry) return null;
    this.#touch(key, entry);
    return entry.feed;
  }

  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
