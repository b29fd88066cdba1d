--[[
  Gives the articles that entered a feed since the last call their sequence numbers in the feed's
  archive (src/store/archive-store.ts): the next numbers, in the order of their score in the
  feed's index (last update, then id), at most ARGV[2] per call. A number once given is kept for
  good: an article that leaves the feed and comes back keeps its own.
  KEYS[1]  the feed's index ZSET (p:i:<feed>)
  KEYS[2]  the feed's sequence ZSET (p:seq:<feed>): id → sequence number
  KEYS[3]  the feed's archive state HASH (p:arch:<feed>): next, pages, first, size
  ARGV[1]  page size to use when the archive has none yet (the configured feed size); a stored
           size is kept, so pages once cut stay cut the same way
  ARGV[2]  at most this many new numbers per call
  Returns {size, next (last number given), pages (full pages stored), first (oldest page kept), more (1 when
  articles are left without a number)}.
]]
local index, seq, state = KEYS[1], KEYS[2], KEYS[3]
redis.call('HSETNX', state, 'size', ARGV[1])
local limit = tonumber(ARGV[2])
local next = tonumber(redis.call('HGET', state, 'next') or '0')
-- ZDIFF answers in index order (score, then id): the oldest newcomers get the lower numbers.
local fresh = redis.call('ZDIFF', 2, index, seq)
local n = math.min(#fresh, limit)
for i = 1, n do
  next = next + 1
  redis.call('ZADD', seq, next, fresh[i])
end
if n > 0 then redis.call('HSET', state, 'next', next) end
local s = redis.call('HMGET', state, 'size', 'pages', 'first')
local more = 0
if #fresh > n then more = 1 end
return {tonumber(s[1]), next, tonumber(s[2] or '0'), tonumber(s[3] or '1'), more}
