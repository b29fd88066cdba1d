--[[
  Upserts a chunk of a document's articles, each atomically.
  KEYS[1]  meta HASH
  ARGV[1]  key prefix
  ARGV[2]  now (epoch ms)
  ARGV[3..] ten per article: id, storeHash, score (last update, ms), topics csv, sourceId,
           record JSON, status (usable|withheld|canceled), holdUntil (ms, 0 = none),
           duplicateOf ('' or the id it repeats: then only its source's feed carries it),
           lang (primary subtag when the operator publishes that language's feed variants, else '')
  Returns {inserted, updated, unchanged, stale, "heldUntil,heldUntil…", "pageId,pageId…", changedFeed…}.
  Page ids: the articles whose page must be rendered (src/render/article-page.ts): inserted or
  updated now, or unchanged but still in the pages-due set (a page write that failed after the
  upsert: the retried document renders it then) or without a page (stored before pages were). Each changed id joins that set; page-put.lua
  takes it out once the page is stored.
  An incoming version older (by last update) than the stored one is stale and ignored: provider
  version numbers are not assumed to grow.
]]
-- @include article-common
local now = tonumber(ARGV[2])
local inserted, updated, unchanged, stale = 0, 0, 0, 0
local held = {}
local pages = {}
local due = p .. ':pagedue'
for i = 3, #ARGV, 10 do
  local id, h, score, topics, src, json, status, holdUntil, dupOf, lang =
    ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], tonumber(ARGV[i + 7]), ARGV[i + 8], ARGV[i + 9]
  local old = parse(redis.call('HGET', meta, id))
  local skip = false
  if old then
    if tonumber(score) < old.score then stale = stale + 1; skip = true
    elseif old.h == h then
      unchanged = unchanged + 1; skip = true
      -- Its page is due (a page write lost after the upsert) or missing (stored before pages).
      if redis.call('SISMEMBER', due, id) == 1 or redis.call('EXISTS', p .. ':page:' .. id) == 0 then pages[#pages + 1] = id end
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
    redis.call('SADD', due, id)
    pages[#pages + 1] = id
    redis.call('HSET', meta, id, h .. '\t' .. score .. '\t' .. metaTopics .. '\t' .. src .. '\t' .. state .. '\t' .. lang)
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
local out = {inserted, updated, unchanged, stale, table.concat(held, ','), table.concat(pages, ',')}
for _, f in ipairs(changed) do out[#out + 1] = f end
return out
