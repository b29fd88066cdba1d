/**
 * Rendered feed bytes, stored by the publish worker and served as they are by the HTTP server,
 * which never renders on a request.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys, type Keys } from './keys.ts';

export interface RenderedFeed {
  body: string;
  /** Strong validator of `body`, quoted. */
  etag: string;
  /** HTTP-date of the last time the body changed. */
  lastModified: string;
  contentType: string;
}

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export class FeedStore {
  readonly #redis: Redis;
  readonly #keys: Keys;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#keys = keys(prefix);
  }

  /**
   * Stores a rendering unless the stored one has the same bytes, so validators (ETag,
   * Last-Modified) only move when readers would see a difference. Returns true when written.
   */
  async put(feed: string, format: string, body: string, contentType: string, now: Date): Promise<boolean> {
    const key = this.#keys.rendered(feed, format);
    const etag = etagOf(body);
    if ((await this.#redis.hget(key, 'etag')) === etag) return false;
    await this.#redis.hset(key, { body, etag, lastModified: now.toUTCString(), contentType });
    return true;
  }

  async get(feed: string, format: string): Promise<RenderedFeed | null> {
    const h = await this.#redis.hgetall(this.#keys.rendered(feed, format));
    if (!h.body || !h.etag || !h.lastModified || !h.contentType) return null;
    return { body: h.body, etag: h.etag, lastModified: h.lastModified, contentType: h.contentType };
  }

  async exists(feed: string, format: string): Promise<boolean> {
    return (await this.#redis.exists(this.#keys.rendered(feed, format))) === 1;
  }
}
