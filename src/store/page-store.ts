/**
 * Article pages (`/articles/{id}` and `/articles/{id}.json`): rendered when an article is stored
 * or changed (the ingest worker, through ArticleStore.upsertWithPages) and served by the HTTP
 * server as stored bytes. The `.json` is the record itself (`keys.article(id)`); its validator is
 * kept with the page, so a request reads and hashes nothing.
 */
import type { Redis } from 'ioredis';
import { etagOf } from './feed-store.ts';
import { keys, type Keys } from './keys.ts';
import { defineScripts } from './lua-scripts.ts';

/** A page as the renderer gives it (src/render/article-page.ts, ArticlePage). */
export interface PageRendering {
  body: string;
  status: 200 | 410;
  /** Epoch ms before which the page and the record are not served; 0 when none. */
  availableAt: number;
}

export interface PageWrite {
  id: string;
  /** The store hash of the version rendered (ArticleStore): a page of another version is not stored. */
  storeHash: string;
  /** The record JSON as stored: its ETag is the `.json`'s. */
  recordJson: string;
  page: PageRendering;
}

interface Validators {
  etag: string;
  /** HTTP-date of the last change. */
  lastModified: string;
  status: 200 | 410;
  availableAt: number;
}

export interface StoredPage extends Validators {
  body: string;
}

export interface StoredRecord extends Validators {
  json: string;
}

/** Pages per script call: bodies run to tens of kilobytes, so fewer than the upsert's 500. */
export const PAGE_CHUNK = 100;

type ScriptRedis = Redis & { wfPagePut(meta: string, ...args: string[]): Promise<[number, number]> };

export class PageStore {
  readonly #redis: ScriptRedis;
  readonly #prefix: string;
  readonly #keys: Keys;

  constructor(redis: Redis, prefix: string) {
    this.#prefix = prefix;
    this.#keys = keys(prefix);
    defineScripts(redis, { 'page-put': 1 });
    this.#redis = redis as ScriptRedis;
  }

  /** Stores pages, {@link PAGE_CHUNK} per script call; returns how many were written and skipped. */
  async put(pages: readonly PageWrite[], now: Date): Promise<{ written: number; skipped: number }> {
    let written = 0;
    let skipped = 0;
    const lastModified = now.toUTCString();
    for (let from = 0; from < pages.length; from += PAGE_CHUNK) {
      const args: string[] = [this.#prefix];
      for (const p of pages.slice(from, from + PAGE_CHUNK)) {
        args.push(p.id, p.storeHash, p.page.body, etagOf(p.page.body), lastModified, String(p.page.status), String(p.page.availableAt), etagOf(p.recordJson));
      }
      const [w, s] = await this.#redis.wfPagePut(this.#keys.meta, ...args);
      written += Number(w);
      skipped += Number(s);
    }
    return { written, skipped };
  }

  /** The stored page of article `id`; null when there is none. */
  async get(id: string): Promise<StoredPage | null> {
    const h = await this.#redis.hgetall(this.#keys.page(id));
    if (!h.body || !h.etag || !h.lastModified) return null;
    return { body: h.body, ...validators(h.etag, h.lastModified, h.status, h.availableAt) };
  }

  /** The stored record of article `id` with its page's validators; null when either is missing. */
  async record(id: string): Promise<StoredRecord | null> {
    // One MULTI: the record and its validators from the same moment.
    const rows = (await this.#redis
      .multi()
      .hmget(this.#keys.page(id), 'jsonEtag', 'lastModified', 'status', 'availableAt')
      .get(this.#keys.article(id))
      .exec()) ?? [];
    for (const [err] of rows) if (err) throw err;
    const [etag, lastModified, status, availableAt] = (rows[0]?.[1] as (string | null)[] | undefined) ?? [];
    const json = rows[1]?.[1] as string | null | undefined;
    if (!json || !etag || !lastModified) return null;
    return { json, ...validators(etag, lastModified, status ?? undefined, availableAt ?? undefined) };
  }

  async exists(id: string): Promise<boolean> {
    return (await this.#redis.exists(this.#keys.page(id))) === 1;
  }

  /** Articles whose page is due (changed, page not stored yet). */
  async due(): Promise<number> {
    return this.#redis.scard(this.#keys.pagesDue);
  }
}

function validators(etag: string, lastModified: string, status: string | undefined, availableAt: string | undefined): Validators {
  return { etag, lastModified, status: status === '410' ? 410 : 200, availableAt: Number(availableAt) || 0 };
}
