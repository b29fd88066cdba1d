/**
 * The Redis article store: article records, the per-feed indexes (topic, `all`, source) and the
 * small meta hash the upsert compares against. A document's articles are upserted by Lua script
 * calls of {@link UPSERT_CHUNK} articles: each article atomic (nothing half-written), a round trip
 * per chunk, idempotent by article id.
 */
import type { Redis } from 'ioredis';
import type { ArticleRecord } from '../model/article-record.ts';
import { keys, type Keys } from './keys.ts';
import { defineScripts } from './lua-scripts.ts';
import { PageStore, type PageRendering, type PageWrite } from './page-store.ts';

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Versions older (by last update) than the stored one: ignored. */
  stale: number;
  /** Embargo times (epoch ms) of articles held back by this batch: release jobs are due then. */
  heldUntil: number[];
  /** Feeds whose content changed: topic slugs, `all`, `source:<id>`. */
  changedFeeds: string[];
}

/** The article scripts (src/store/scripts/article-*.lua), each taking the meta hash as KEYS[1]. */
type ScriptRedis = Redis & {
  wfArticleUpsert(meta: string, ...args: string[]): Promise<Array<number | string>>;
  wfArticleRelease(meta: string, ...args: string[]): Promise<Array<number | string>>;
  wfArticlePrune(meta: string, ...args: string[]): Promise<Array<number | string>>;
};

/** Sort key of an article in its feeds: its last update, so a corrected story rises again. */
export function sortScore(article: Pick<ArticleRecord, 'updated' | 'published'>): number {
  const t = Date.parse(article.updated) || Date.parse(article.published);
  return Number.isFinite(t) ? t : 0;
}

/** Articles per upsert script call: 5,000 arguments, far from any stack or argument limit. */
export const UPSERT_CHUNK = 500;

export class ArticleStore {
  readonly #redis: ScriptRedis;
  readonly #prefix: string;
  readonly #keys: Keys;

  readonly #languages: ReadonlySet<string>;

  /** The articles' rendered pages (`/articles/{id}`), on the same connection. */
  readonly pages: PageStore;

  /** @param feedLanguages languages whose feed variants (economy.ar, all.fr) are kept */
  constructor(redis: Redis, prefix: string, feedLanguages: readonly string[] = []) {
    this.#languages = new Set(feedLanguages);
    this.#prefix = prefix;
    this.#keys = keys(prefix);
    defineScripts(redis, { 'article-upsert': 1, 'article-release': 1, 'article-prune': 1 });
    this.#redis = redis as ScriptRedis;
    this.pages = new PageStore(redis, prefix);
  }

  /**
   * Upserts a document's articles, {@link UPSERT_CHUNK} per script call: each article is written
   * atomically, and a document of any size stays within what one call can carry (a single call
   * with ten arguments per article overflows the stack past about 12,000 articles). A document
   * retried after a failure part-way re-upserts every article; those already stored are unchanged.
   * An article whose content, topics and status are unchanged is left as it is; an older version
   * than the stored one is ignored; a canceled one leaves every feed; an embargoed one is stored
   * but held out of the feeds until its `embargoUntil` (see release()).
   */
  async upsertBatch(articles: readonly ArticleRecord[], nowMs = Date.now()): Promise<UpsertResult> {
    return this.#upsertAll(articles, nowMs, null);
  }

  /**
   * {@link upsertBatch}, and the pages of the articles inserted or updated (or whose page an
   * earlier, interrupted call left due) rendered by `render` and stored: one upsert script call
   * and one page script call per {@link UPSERT_CHUNK} articles. Unchanged articles are not
   * rendered. A page is stored only if its version is still the stored one.
   */
  async upsertWithPages(
    articles: readonly ArticleRecord[],
    nowMs: number,
    render: (article: ArticleRecord) => PageRendering,
  ): Promise<UpsertResult & { pages: number }> {
    const counter = { pages: 0 };
    const result = await this.#upsertAll(articles, nowMs, { render, counter });
    return { ...result, pages: counter.pages };
  }

  async #upsertAll(
    articles: readonly ArticleRecord[],
    nowMs: number,
    pages: { render: (article: ArticleRecord) => PageRendering; counter: { pages: number } } | null,
  ): Promise<UpsertResult> {
    const total: UpsertResult = { inserted: 0, updated: 0, unchanged: 0, stale: 0, heldUntil: [], changedFeeds: [] };
    const changed = new Set<string>();
    for (let from = 0; from < articles.length; from += UPSERT_CHUNK) {
      const chunk = articles.slice(from, from + UPSERT_CHUNK);
      const { pageIds, hashes, json, ...part } = await this.#upsertChunk(chunk, nowMs);
      if (pages && pageIds.length > 0) {
        const byId = new Map(chunk.map((a) => [a.id, a]));
        const writes: PageWrite[] = [];
        for (const id of pageIds) {
          const a = byId.get(id);
          if (a) writes.push({ id, storeHash: hashes.get(id)!, recordJson: json.get(id)!, page: pages.render(a) });
        }
        const stored = await this.pages.put(writes, new Date(nowMs));
        pages.counter.pages += writes.length - stored.skipped;
      }
      total.inserted += part.inserted;
      total.updated += part.updated;
      total.unchanged += part.unchanged;
      total.stale += part.stale;
      total.heldUntil.push(...part.heldUntil);
      for (const f of part.changedFeeds) changed.add(f);
    }
    return { ...total, changedFeeds: [...changed] };
  }

  async #upsertChunk(
    articles: readonly ArticleRecord[],
    nowMs: number,
  ): Promise<UpsertResult & { pageIds: string[]; hashes: Map<string, string>; json: Map<string, string> }> {
    const args: string[] = [this.#prefix, String(nowMs)];
    const hashes = new Map<string, string>();
    const json = new Map<string, string>();
    for (const a of articles) {
      const status = a.status ?? 'usable';
      const holdUntil = (a.embargoUntil && Date.parse(a.embargoUntil)) || 0;
      const topics = a.topics.map((t) => t.slug).sort().join(',');
      const dupOf = a.duplicateOf ?? '';
      const primary = a.language.toLowerCase().split('-')[0] ?? '';
      const lang = this.#languages.has(primary) ? primary : '';
      const storeHash = `${a.contentHash}/${topics}/${status}/${holdUntil}/${dupOf}/${lang}`;
      const record = JSON.stringify(a);
      hashes.set(a.id, storeHash);
      json.set(a.id, record);
      args.push(a.id, storeHash, String(sortScore(a)), topics, a.sourceId, record, status, String(holdUntil), dupOf, lang);
    }
    const [inserted, updated, unchanged, stale, held, pageIds, ...changed] = await this.#redis.wfArticleUpsert(this.#keys.meta, ...args);
    return {
      inserted: Number(inserted),
      updated: Number(updated),
      unchanged: Number(unchanged),
      stale: Number(stale),
      heldUntil: String(held).split(',').filter(Boolean).map(Number),
      changedFeeds: changed.map(String),
      pageIds: String(pageIds).split(',').filter(Boolean),
      hashes,
      json,
    };
  }

  /** Puts embargoed articles whose time has come into their feeds; returns the feeds changed. */
  async release(nowMs: number): Promise<{ released: number; changedFeeds: string[] }> {
    const [released, ...changed] = await this.#redis.wfArticleRelease(this.#keys.meta, this.#prefix, String(nowMs));
    return { released: Number(released), changedFeeds: changed.map(String) };
  }

  /** The newest `limit` articles of a feed (topic slug, `all`, `source:<id>`), newest first. */
  async newest(feed: string, limit: number): Promise<ArticleRecord[]> {
    const ids = await this.#redis.zrevrange(this.#keys.index(feed), 0, limit - 1);
    return this.getMany(ids);
  }

  async getMany(ids: readonly string[]): Promise<ArticleRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.#redis.mget(ids.map((id) => this.#keys.article(id)));
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as ArticleRecord);
  }

  async get(id: string): Promise<ArticleRecord | null> {
    const [a] = await this.getMany([id]);
    return a ?? null;
  }

  async count(feed = 'all'): Promise<number> {
    return this.#redis.zcard(this.#keys.index(feed));
  }

  /** Every stored article, in feeds or not (held, canceled, duplicates). */
  async countStored(): Promise<number> {
    return this.#redis.zcard(`${this.#prefix}:stored`);
  }

  /**
   * Removes articles last updated before `cutoffMs`, at most `batch` per call, from every index.
   * Returns how many went and which feeds changed.
   */
  async prune(cutoffMs: number, batch = 1000): Promise<{ removed: number; changedFeeds: string[] }> {
    const [removed, ...changed] = await this.#redis.wfArticlePrune(
      this.#keys.meta,
      this.#prefix,
      String(cutoffMs),
      String(batch),
    );
    return { removed: Number(removed), changedFeeds: changed.map(String) };
  }
}
