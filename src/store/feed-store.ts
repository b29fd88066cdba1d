/**
 * Rendered feed bytes, stored by the publish worker and served as they are by the HTTP server,
 * which never renders, nor compresses, on a request.
 *
 * One Redis hash per feed and format holds the identity bytes, their gzip and brotli forms
 * (compressed here, once, when the bytes change), the validators, and the last few times the
 * bytes changed, from which the hash's `maxAge` (the feed's `Cache-Control: max-age`) follows.
 * Every field is written by one HSET: a reader sees the old rendering or the new, whole.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Redis } from 'ioredis';
import { ArchiveStore } from './archive-store.ts';
import { EntryStore } from './entry-store.ts';
import { keys, type Keys } from './keys.ts';

/** The content codings stored beside the identity bytes, in the order of preference. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface RenderedFeed {
  body: string;
  /** Strong validator of `body`, quoted; the compressed forms have their own (`etagFor`). */
  etag: string;
  /** HTTP-date of the last time the body changed. */
  lastModified: string;
  contentType: string;
  /** The body compressed at publish; absent for a rendering stored before they were. */
  encoded?: Partial<Record<Encoding, Buffer>>;
  /** Seconds a cache may keep the feed (`Cache-Control: max-age`), from how often it changes. */
  maxAge?: number;
}

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** The strong validator of one coding of a rendering: `"<hash>-br"`, `"<hash>-gzip"`; identity keeps `etag`. */
export function etagFor(etag: string, encoding: Encoding | 'identity'): string {
  return encoding === 'identity' ? etag : `${etag.slice(0, -1)}-${encoding}"`;
}

/** How many change times a hash keeps. */
export const CHANGES_KEPT = 8;
/** max-age is this fraction of the typical (median) interval between changes... */
export const MAX_AGE_FRACTION = 0.25;
/** ...within these bounds, seconds; the lower one too while fewer than two changes are known. */
export const MIN_MAX_AGE_S = 30;
export const MAX_MAX_AGE_S = 900;

/** max-age from the change times (epoch ms, oldest first): a quarter of the median interval, 30 s .. 15 min. */
export function maxAgeFor(changes: number[]): number {
  const intervals = changes.slice(1).map((t, i) => t - changes[i]!).filter((d) => d > 0).sort((a, b) => a - b);
  if (intervals.length === 0) return MIN_MAX_AGE_S;
  const mid = intervals.length >> 1;
  const median = intervals.length % 2 ? intervals[mid]! : (intervals[mid - 1]! + intervals[mid]!) / 2;
  return Math.min(MAX_MAX_AGE_S, Math.max(MIN_MAX_AGE_S, Math.round((median / 1000) * MAX_AGE_FRACTION)));
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** gzip level 9 and brotli quality 9 (11 costs several times the CPU for a few % smaller), off the event loop. */
async function compress(body: string): Promise<Record<Encoding, Buffer>> {
  const bytes = Buffer.from(body, 'utf8');
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzipAsync(bytes, { level: 9 }),
  ]);
  return { br, gzip: gz };
}

export class FeedStore {
  readonly #redis: Redis;
  readonly #keys: Keys;

  /** The feeds' archive pages (RFC 5005): which articles each holds; the bytes are stored here. */
  readonly archives: ArchiveStore;
  /** The feeds' entries, rendered once per article, format and feed language. */
  readonly entries: EntryStore;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#keys = keys(prefix);
    this.archives = new ArchiveStore(redis, prefix);
    this.entries = new EntryStore(redis, prefix);
  }

  /**
   * Stores a rendering unless the stored one has the same bytes, so validators (ETag,
   * Last-Modified) and the change times only move when readers would see a difference; the
   * compressed forms are made here, only then. Returns true when written.
   */
  async put(feed: string, format: string, body: string, contentType: string, now: Date): Promise<boolean> {
    const key = this.#keys.rendered(feed, format);
    const etag = etagOf(body);
    const [storedEtag, storedChanges, storedEncodings] = await this.#redis.hmget(key, 'etag', 'changes', 'encodings');
    const same = storedEtag === etag;
    if (same && storedEncodings) return false;
    const encoded = await compress(body);
    const fields: Record<string, string | Buffer> = { encodings: ENCODINGS.join(','), br: encoded.br, gzip: encoded.gzip };
    const known = (storedChanges ?? '').split(',').filter(Boolean).map(Number).filter(Number.isFinite);
    if (same) {
      // The same bytes stored before they were compressed: add the compressed forms, the
      // validators and change times stay.
      fields.maxAge = String(maxAgeFor(known));
    } else {
      const changes = [...known, now.getTime()].slice(-CHANGES_KEPT);
      Object.assign(fields, { body, etag, lastModified: now.toUTCString(), contentType, changes: changes.join(','), maxAge: String(maxAgeFor(changes)) });
    }
    await this.#redis.hset(key, fields);
    return !same;
  }

  async get(feed: string, format: string): Promise<RenderedFeed | null> {
    return this.#read(this.#keys.rendered(feed, format));
  }

  /** The stored rendering's ETag alone (null when none): what a server holding the bytes checks. */
  async etag(feed: string, format: string): Promise<string | null> {
    return this.#redis.hget(this.#keys.rendered(feed, format), 'etag');
  }

  /**
   * Stores an archive page once: its bytes never change after (they are served as immutable), so
   * a page already stored is left as it is. Returns true when written.
   */
  async putArchive(feed: string, page: number, format: string, body: string, contentType: string, now: Date): Promise<boolean> {
    const key = this.#keys.archivePage(feed, page, format);
    if ((await this.#redis.exists(key)) === 1) return false;
    const encoded = await compress(body);
    await this.#redis.hset(key, { body, etag: etagOf(body), lastModified: now.toUTCString(), contentType, encodings: ENCODINGS.join(','), br: encoded.br, gzip: encoded.gzip });
    return true;
  }

  async getArchive(feed: string, page: number, format: string): Promise<RenderedFeed | null> {
    return this.#read(this.#keys.archivePage(feed, page, format));
  }

  async deleteArchive(feed: string, page: number, formats: readonly string[]): Promise<void> {
    await this.#redis.del(...formats.map((format) => this.#keys.archivePage(feed, page, format)));
  }

  async #read(key: string): Promise<RenderedFeed | null> {
    const h = await this.#redis.hgetallBuffer(key);
    if (!h.body || !h.etag || !h.lastModified || !h.contentType) return null;
    const rendered: RenderedFeed = {
      body: h.body.toString('utf8'),
      etag: h.etag.toString(),
      lastModified: h.lastModified.toString(),
      contentType: h.contentType.toString(),
    };
    const listed = (h.encodings?.toString() ?? '').split(',');
    const encoded: Partial<Record<Encoding, Buffer>> = {};
    for (const e of ENCODINGS) if (listed.includes(e) && h[e]) encoded[e] = h[e];
    if (Object.keys(encoded).length > 0) rendered.encoded = encoded;
    const maxAge = Number(h.maxAge?.toString());
    if (h.maxAge && Number.isInteger(maxAge) && maxAge > 0) rendered.maxAge = maxAge;
    return rendered;
  }

  async exists(feed: string, format: string): Promise<boolean> {
    return (await this.#redis.exists(this.#keys.rendered(feed, format))) === 1;
  }
}
