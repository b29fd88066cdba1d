/**
 * The Redis article store: article records, the per-feed indexes (topic, `all`, source) and the
 * small meta hash the upsert compares against. All articles of one document are upserted by one
 * Lua script call: atomic (nothing half-written), one round trip, and idempotent by article id.
 */
import type { Redis } from 'ioredis';
import type { ArticleRecord } from '../model/article-record.ts';
import { keys, type Keys } from './keys.ts';

// KEYS[1] = meta hash. ARGV[1] = prefix, then 6 per article: id, storeHash, score, topics csv,
// sourceId, json. A changed article leaves the indexes it no longer belongs to.
const UPSERT_LUA = `
local meta = KEYS[1]
local p = ARGV[1]
local changed, seen = {}, {}
local function mark(f) if not seen[f] then seen[f] = true; changed[#changed + 1] = f end end
local function feedsOf(topics, src)
  local t = {'all', 'source:' .. src}
  for x in string.gmatch(topics, '[^,]+') do t[#t + 1] = x end
  return t
end
local inserted, updated, unchanged = 0, 0, 0
for i = 2, #ARGV, 6 do
  local id, h, score, topics, src, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local old = redis.call('HGET', meta, id)
  local feeds = feedsOf(topics, src)
  local write = true
  if old then
    local oh, _, otopics, osrc = string.match(old, '^([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)$')
    if oh == h then
      unchanged = unchanged + 1
      write = false
    else
      updated = updated + 1
      local keep = {}
      for _, f in ipairs(feeds) do keep[f] = true end
      for _, f in ipairs(feedsOf(otopics or '', osrc or src)) do
        if not keep[f] then redis.call('ZREM', p .. ':i:' .. f, id); mark(f) end
      end
    end
  else
    inserted = inserted + 1
  end
  if write then
    redis.call('SET', p .. ':a:' .. id, json)
    redis.call('HSET', meta, id, h .. '\\t' .. score .. '\\t' .. topics .. '\\t' .. src)
    for _, f in ipairs(feeds) do redis.call('ZADD', p .. ':i:' .. f, score, id); mark(f) end
  end
end
local out = {inserted, updated, unchanged}
for _, f in ipairs(changed) do out[#out + 1] = f end
return out
`;

// KEYS[1] = meta hash, KEYS[2] = the all index. ARGV: prefix, cutoff score, batch size.
const PRUNE_LUA = `
local meta, all = KEYS[1], KEYS[2]
local p = ARGV[1]
local ids = redis.call('ZRANGEBYSCORE', all, '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local changed, seen = {}, {}
local function mark(f) if not seen[f] then seen[f] = true; changed[#changed + 1] = f end end
for _, id in ipairs(ids) do
  local old = redis.call('HGET', meta, id)
  local feeds = {'all'}
  if old then
    local _, _, otopics, osrc = string.match(old, '^([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)$')
    feeds[#feeds + 1] = 'source:' .. (osrc or '')
    for x in string.gmatch(otopics or '', '[^,]+') do feeds[#feeds + 1] = x end
  end
  for _, f in ipairs(feeds) do redis.call('ZREM', p .. ':i:' .. f, id); mark(f) end
  redis.call('DEL', p .. ':a:' .. id)
  redis.call('HDEL', meta, id)
end
local out = {#ids}
for _, f in ipairs(changed) do out[#out + 1] = f end
return out
`;

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Feeds whose content changed: topic slugs, `all`, `source:<id>`. */
  changedFeeds: string[];
}

type ScriptRedis = Redis & {
  wfUpsert(meta: string, ...args: string[]): Promise<Array<number | string>>;
  wfPrune(meta: string, all: string, ...args: string[]): Promise<Array<number | string>>;
};

/** Sort key of an article in its feeds: its last update, so a corrected story rises again. */
export function sortScore(article: Pick<ArticleRecord, 'updated' | 'published'>): number {
  const t = Date.parse(article.updated) || Date.parse(article.published);
  return Number.isFinite(t) ? t : 0;
}

export class ArticleStore {
  readonly #redis: ScriptRedis;
  readonly #prefix: string;
  readonly #keys: Keys;

  constructor(redis: Redis, prefix: string) {
    this.#prefix = prefix;
    this.#keys = keys(prefix);
    if (!('wfUpsert' in redis)) {
      redis.defineCommand('wfUpsert', { numberOfKeys: 1, lua: UPSERT_LUA });
      redis.defineCommand('wfPrune', { numberOfKeys: 2, lua: PRUNE_LUA });
    }
    this.#redis = redis as ScriptRedis;
  }

  /**
   * Stores every article of one document in one atomic step. An article whose content and topics
   * are unchanged is left as it is (re-ingesting a document changes nothing).
   */
  async upsertBatch(articles: readonly ArticleRecord[]): Promise<UpsertResult> {
    if (articles.length === 0) return { inserted: 0, updated: 0, unchanged: 0, changedFeeds: [] };
    const args: string[] = [this.#prefix];
    for (const a of articles) {
      const topics = a.topics.map((t) => t.slug).sort().join(',');
      args.push(a.id, `${a.contentHash}/${topics}`, String(sortScore(a)), topics, a.sourceId, JSON.stringify(a));
    }
    const [inserted, updated, unchanged, ...changed] = await this.#redis.wfUpsert(this.#keys.meta, ...args);
    return {
      inserted: Number(inserted),
      updated: Number(updated),
      unchanged: Number(unchanged),
      changedFeeds: changed.map(String),
    };
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

  /**
   * Removes articles last updated before `cutoffMs`, at most `batch` per call, from every index.
   * Returns how many went and which feeds changed.
   */
  async prune(cutoffMs: number, batch = 1000): Promise<{ removed: number; changedFeeds: string[] }> {
    const [removed, ...changed] = await this.#redis.wfPrune(
      this.#keys.meta,
      this.#keys.index('all'),
      this.#prefix,
      String(cutoffMs),
      String(batch),
    );
    return { removed: Number(removed), changedFeeds: changed.map(String) };
  }
}
