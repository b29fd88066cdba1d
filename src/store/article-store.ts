/**
 * The Redis article store: article records, the per-feed indexes (topic, `all`, source) and the
 * small meta hash the upsert compares against. A document's articles are upserted by Lua script
 * calls of {@link UPSERT_CHUNK} articles: each article atomic (nothing half-written), a round trip
 * per chunk, idempotent by article id.
 */
import type { Redis } from 'ioredis';
import type { ArticleRecord } from '../model/article-record.ts';
import { keys, type Keys } from './keys.ts';

// Meta value per article: "storeHash\tscore\ttopics\tsourceId\tstate", state live|held|canceled.
// Only live articles are in the feed indexes; every stored article is in `stored` (retention).
const COMMON_LUA = `
local meta, p = KEYS[1], ARGV[1]
local changed, seen = {}, {}
local function mark(f) if not seen[f] then seen[f] = true; changed[#changed + 1] = f end end
local function feedsOf(topics, src, lang)
  -- '~dup' marks a duplicate: it lives in its source's feed only.
  if topics == '~dup' then return {'source:' .. src} end
  local t = {'all', 'source:' .. src}
  if lang ~= '' then t[#t + 1] = 'all.' .. lang end
  for x in string.gmatch(topics, '[^,]+') do
    t[#t + 1] = x
    -- The language variant of the topic feed (economy.ar), for languages the operator publishes.
    if lang ~= '' then t[#t + 1] = x .. '.' .. lang end
  end
  return t
end
local function parse(m)
  if not m then return nil end
  local f = {}
  for x in string.gmatch(m .. '\\t', '([^\\t]*)\\t') do f[#f + 1] = x end
  local state = f[5]
  if state == nil or state == '' then state = 'live' end
  return { h = f[1], score = tonumber(f[2]) or 0, topics = f[3] or '', src = f[4] or '', state = state, lang = f[6] or '' }
end
`;

// KEYS[1] = meta hash. ARGV[1] = prefix, ARGV[2] = now (ms), then 9 per article: id, storeHash,
// score, topics csv, sourceId, json, status (usable|withheld|canceled), holdUntil (ms, 0 = none),
// duplicateOf ('' or the id of the article it repeats: then only its source's feed carries it),
// lang (primary language subtag when the operator publishes that language's feed variants, else '').
// An incoming version older (by last update) than the stored one is stale and ignored: provider
// version numbers are not assumed to grow.
const UPSERT_LUA = `${COMMON_LUA}
local now = tonumber(ARGV[2])
local inserted, updated, unchanged, stale = 0, 0, 0, 0
local held = {}
for i = 3, #ARGV, 10 do
  local id, h, score, topics, src, json, status, holdUntil, dupOf, lang =
    ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], tonumber(ARGV[i + 7]), ARGV[i + 8], ARGV[i + 9]
  local old = parse(redis.call('HGET', meta, id))
  local skip = false
  if old then
    if tonumber(score) < old.score then stale = stale + 1; skip = true
    elseif old.h == h then unchanged = unchanged + 1; skip = true
    else updated = updated + 1 end
  else
    inserted = inserted + 1
  end
  if not skip then
    local state = 'live'
    if status == 'canceled' then state = 'canceled'
    elseif status == 'withheld' or holdUntil > now then state = 'held' end
    -- A duplicate's meta says '~dup' instead of topics, so release and prune touch only its source feed.
    local metaTopics = topics
    if dupOf ~= '' then
      metaTopics = '~dup'
      redis.call('SADD', p .. ':alt:' .. dupOf, id)
    end
    local keep = {}
    if state == 'live' then
      for _, f in ipairs(feedsOf(metaTopics, src, lang)) do keep[f] = true end
    end
    if old and old.state == 'live' then
      for _, f in ipairs(feedsOf(old.topics, old.src, old.lang)) do
        if not keep[f] then redis.call('ZREM', p .. ':i:' .. f, id); mark(f) end
      end
    end
    redis.call('SET', p .. ':a:' .. id, json)
    redis.call('HSET', meta, id, h .. '\\t' .. score .. '\\t' .. metaTopics .. '\\t' .. src .. '\\t' .. state .. '\\t' .. lang)
    redis.call('ZADD', p .. ':stored', score, id)
    for f, _ in pairs(keep) do redis.call('ZADD', p .. ':i:' .. f, score, id); mark(f) end
    if state == 'held' and holdUntil > now then
      redis.call('ZADD', p .. ':embargo', holdUntil, id)
      held[#held + 1] = tostring(holdUntil)
    else
      redis.call('ZREM', p .. ':embargo', id)
    end
  end
end
local out = {inserted, updated, unchanged, stale, table.concat(held, ',')}
for _, f in ipairs(changed) do out[#out + 1] = f end
return out
`;

// KEYS[1] = meta hash. ARGV: prefix, now (ms). Embargoed articles whose time has come go live.
const RELEASE_LUA = `${COMMON_LUA}
local ids = redis.call('ZRANGEBYSCORE', p .. ':embargo', '-inf', ARGV[2])
for _, id in ipairs(ids) do
  local m = parse(redis.call('HGET', meta, id))
  redis.call('ZREM', p .. ':embargo', id)
  if m and m.state == 'held' then
    for _, f in ipairs(feedsOf(m.topics, m.src, m.lang)) do redis.call('ZADD', p .. ':i:' .. f, m.score, id); mark(f) end
    redis.call('HSET', meta, id, m.h .. '\\t' .. m.score .. '\\t' .. m.topics .. '\\t' .. m.src .. '\\tlive\\t' .. m.lang)
  end
end
local out = {#ids}
for _, f in ipairs(changed) do out[#out + 1] = f end
return out
`;

// KEYS[1] = meta hash. ARGV: prefix, cutoff score, batch size.
const PRUNE_LUA = `${COMMON_LUA}
local ids = redis.call('ZRANGEBYSCORE', p .. ':stored', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local m = parse(redis.call('HGET', meta, id))
  if m and m.state == 'live' then
    for _, f in ipairs(feedsOf(m.topics, m.src, m.lang)) do redis.call('ZREM', p .. ':i:' .. f, id); mark(f) end
  end
  redis.call('ZREM', p .. ':stored', id)
  redis.call('ZREM', p .. ':embargo', id)
  redis.call('DEL', p .. ':a:' .. id, p .. ':alt:' .. id)
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
  /** Versions older (by last update) than the stored one: ignored. */
  stale: number;
  /** Embargo times (epoch ms) of articles held back by this batch: release jobs are due then. */
  heldUntil: number[];
  /** Feeds whose content changed: topic slugs, `all`, `source:<id>`. */
  changedFeeds: string[];
}

type ScriptRedis = Redis & {
  wfUpsert(meta: string, ...args: string[]): Promise<Array<number | string>>;
  wfRelease(meta: string, ...args: string[]): Promise<Array<number | string>>;
  wfPrune(meta: string, ...args: string[]): Promise<Array<number | string>>;
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

  /** @param feedLanguages languages whose feed variants (economy.ar, all.fr) are kept */
  constructor(redis: Redis, prefix: string, feedLanguages: readonly string[] = []) {
    this.#languages = new Set(feedLanguages);
    this.#prefix = prefix;
    this.#keys = keys(prefix);
    if (!('wfUpsert' in redis)) {
      redis.defineCommand('wfUpsert', { numberOfKeys: 1, lua: UPSERT_LUA });
      redis.defineCommand('wfRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
      redis.defineCommand('wfPrune', { numberOfKeys: 1, lua: PRUNE_LUA });
    }
    this.#redis = redis as ScriptRedis;
  }

  /**
   * Stores every article of one document in one atomic step. An article whose content, topics and
   * status are unchanged is left as it is (re-ingesting a document changes nothing); an older
   * version than the stored one is ignored; a canceled one leaves every feed; an embargoed one is
   * stored but held out of the feeds until its `embargoUntil` (see release()).
   */
  /**
   * Upserts a document's articles, {@link UPSERT_CHUNK} per script call: each article is written
   * atomically, and a document of any size stays within what one call can carry (a single call
   * with ten arguments per article overflows the stack past about 12,000 articles). A document
   * retried after a failure part-way re-upserts every article; those already stored are unchanged.
   */
  async upsertBatch(articles: readonly ArticleRecord[], nowMs = Date.now()): Promise<UpsertResult> {
    const total: UpsertResult = { inserted: 0, updated: 0, unchanged: 0, stale: 0, heldUntil: [], changedFeeds: [] };
    const changed = new Set<string>();
    for (let from = 0; from < articles.length; from += UPSERT_CHUNK) {
      const part = await this.#upsertChunk(articles.slice(from, from + UPSERT_CHUNK), nowMs);
      total.inserted += part.inserted;
      total.updated += part.updated;
      total.unchanged += part.unchanged;
      total.stale += part.stale;
      total.heldUntil.push(...part.heldUntil);
      for (const f of part.changedFeeds) changed.add(f);
    }
    return { ...total, changedFeeds: [...changed] };
  }

  async #upsertChunk(articles: readonly ArticleRecord[], nowMs: number): Promise<UpsertResult> {
    const args: string[] = [this.#prefix, String(nowMs)];
    for (const a of articles) {
      const status = a.status ?? 'usable';
      const holdUntil = (a.embargoUntil && Date.parse(a.embargoUntil)) || 0;
      const topics = a.topics.map((t) => t.slug).sort().join(',');
      const dupOf = a.duplicateOf ?? '';
      const primary = a.language.toLowerCase().split('-')[0] ?? '';
      const lang = this.#languages.has(primary) ? primary : '';
      const storeHash = `${a.contentHash}/${topics}/${status}/${holdUntil}/${dupOf}/${lang}`;
      args.push(a.id, storeHash, String(sortScore(a)), topics, a.sourceId, JSON.stringify(a), status, String(holdUntil), dupOf, lang);
    }
    const [inserted, updated, unchanged, stale, held, ...changed] = await this.#redis.wfUpsert(this.#keys.meta, ...args);
    return {
      inserted: Number(inserted),
      updated: Number(updated),
      unchanged: Number(unchanged),
      stale: Number(stale),
      heldUntil: String(held).split(',').filter(Boolean).map(Number),
      changedFeeds: changed.map(String),
    };
  }

  /** Puts embargoed articles whose time has come into their feeds; returns the feeds changed. */
  async release(nowMs: number): Promise<{ released: number; changedFeeds: string[] }> {
    const [released, ...changed] = await this.#redis.wfRelease(this.#keys.meta, this.#prefix, String(nowMs));
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
    const [removed, ...changed] = await this.#redis.wfPrune(
      this.#keys.meta,
      this.#prefix,
      String(cutoffMs),
      String(batch),
    );
    return { removed: Number(removed), changedFeeds: changed.map(String) };
  }
}
