--[[
  Puts embargoed articles whose time has come into their feeds.
  KEYS[1]  meta HASH
  ARGV[1]  key prefix
  ARGV[2]  now (epoch ms)
  Returns {released, changedFeed…}.
]]
-- @include article-common
local ids = redis.call('ZRANGEBYSCORE', p .. ':embargo', '-inf', ARGV[2])
for _, id in ipairs(ids) do
  local m = parse(redis.call('HGET', meta, id))
  redis.call('ZREM', p .. ':embargo', id)
  if m and m.state == 'held' then
    for _, f in ipairs(feedsOf(m.topics, m.src, m.lang)) do redis.call('ZADD', p .. ':i:' .. f, m.score, id); mark(f) end
    redis.call('HSET', meta, id, m.h .. '\t' .. m.score .. '\t' .. m.topics .. '\t' .. m.src .. '\tlive\t' .. m.lang)
  end
end
local out = {#ids}
for _, f in ipairs(changed) do out[#out + 1] = f end
return out
