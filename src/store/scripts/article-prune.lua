--[[
  Removes articles last updated before a cutoff from every index (retention), with their pages.
  KEYS[1]  meta HASH
  ARGV[1]  key prefix
  ARGV[2]  cutoff score (epoch ms)
  ARGV[3]  at most this many per call
  Returns {removed, changedFeed…}.
]]
-- @include article-common
local ids = redis.call('ZRANGEBYSCORE', p .. ':stored', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local m = parse(redis.call('HGET', meta, id))
  if m and m.state == 'live' then
    for _, f in ipairs(feedsOf(m.topics, m.src, m.lang)) do redis.call('ZREM', p .. ':i:' .. f, id); mark(f) end
  end
  redis.call('ZREM', p .. ':stored', id)
  redis.call('ZREM', p .. ':embargo', id)
  redis.call('DEL', p .. ':a:' .. id, p .. ':alt:' .. id, p .. ':page:' .. id)
  redis.call('SREM', p .. ':pagedue', id)
  redis.call('HDEL', meta, id)
end
local out = {#ids}
for _, f in ipairs(changed) do out[#out + 1] = f end
return out
