--[[
  Gives the articles that entered a feed since the last call their sequence numbers in the feed's
  archive (src/store/archive-store.ts), the next numbers in the order of their score in the
  feed's index (last update, then id). A number once given is kept for good: an article that
  leaves the feed and comes back keeps its own. The cost does not grow with the feed:
  - newcomers at or above `top` (the highest score seen by the last call) are found by score,
    at most ARGV[2] per call (`more` says when some are left);
  - a newcomer below it (a story from days ago stored only now) is found by the sweep, which
    looks at ARGV[3] members of the index per call from `cursor` on, and starts over at the end.
  KEYS[1]  the feed's index ZSET (p:i:<feed>)
  KEYS[2]  the feed's sequence ZSET (p:seq:<feed>): id → sequence number
  KEYS[3]  the feed's archive state HASH (p:arch:<feed>): size, next, pages, first, top, cursor
  ARGV[1]  page size to use when the archive has none yet (the configured feed size); a stored
           size is kept, so pages once cut stay cut the same way
  ARGV[2]  at most this many newcomers found by score per call
  ARGV[3]  index members the sweep looks at per call
  Returns {size, next (last number given), pages (full pages stored), first (oldest page kept),
  more (1 when newcomers are left for the next call)}.
]]
local index, seq, state = KEYS[1], KEYS[2], KEYS[3]
redis.call('HSETNX', state, 'size', ARGV[1])
local limit, sweep = tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', state, 'next', 'top', 'cursor')
local next, top, cursor = tonumber(s[1] or '0'), s[2] or '-inf', tonumber(s[3] or '0')
local fresh, taken = {}, {}
local function consider(id, score)
  if not taken[id] and not redis.call('ZSCORE', seq, id) then
    taken[id] = true
    fresh[#fresh + 1] = {id, tonumber(score)}
  end
end
local more = 0
local byScore = redis.call('ZRANGE', index, top, '+inf', 'BYSCORE', 'LIMIT', 0, limit, 'WITHSCORES')
for i = 1, #byScore, 2 do consider(byScore[i], byScore[i + 1]) end
if #byScore > 0 then top = byScore[#byScore] end
if #byScore >= 2 * limit then more = 1 end
local swept = redis.call('ZRANGE', index, cursor, cursor + sweep - 1, 'WITHSCORES')
for i = 1, #swept, 2 do consider(swept[i], swept[i + 1]) end
if #swept < 2 * sweep then cursor = 0 else cursor = cursor + sweep end
table.sort(fresh, function(a, b)
  if a[2] ~= b[2] then return a[2] < b[2] end
  return a[1] < b[1]
end)
for _, f in ipairs(fresh) do
  next = next + 1
  redis.call('ZADD', seq, next, f[1])
end
redis.call('HSET', state, 'next', next, 'top', top, 'cursor', cursor)
local r = redis.call('HMGET', state, 'size', 'pages', 'first')
return {tonumber(r[1]), next, tonumber(r[2] or '0'), tonumber(r[3] or '1'), more}
