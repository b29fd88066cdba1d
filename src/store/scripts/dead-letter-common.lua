--[[
  Shared by the dead-letter scripts (included with `-- @include dead-letter-common`).
  KEYS[1]  ZSET of every dead letter id by last failure, ms (keys.deadLetters)
  KEYS[2]  HASH source id → number of its dead letters (keys.deadLetterCounts)
  ARGV[1]  name of a letter's HASH without its id (keys.deadLetter(''))
  ARGV[2]  name of a source's ZSET without the source id (keys.deadLettersOf(''))
  A letter is in KEYS[1] and in its source's ZSET; the count of a source is the size of the latter.
]]
local all, counts, letterKey, sourceKey = KEYS[1], KEYS[2], ARGV[1], ARGV[2]

local function recount(source)
  local n = redis.call('ZCARD', sourceKey .. source)
  if n == 0 then redis.call('HDEL', counts, source) else redis.call('HSET', counts, source, n) end
end

-- Forgets one letter; returns 1 when it existed.
local function evict(id)
  local source = redis.call('HGET', letterKey .. id, 'source')
  local removed = redis.call('ZREM', all, id)
  redis.call('DEL', letterKey .. id)
  if source then
    redis.call('ZREM', sourceKey .. source, id)
    recount(source)
  end
  return math.max(removed, source and 1 or 0)
end

-- Letters last failed at or before `cutoff`, then the oldest beyond `total`; returns how many went.
local function trim(cutoff, total)
  local n = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', all, '-inf', cutoff, 'LIMIT', 0, 1000)) do n = n + evict(id) end
  local over = redis.call('ZCARD', all) - total
  if over > 0 then
    for _, id in ipairs(redis.call('ZRANGE', all, 0, over - 1)) do n = n + evict(id) end
  end
  return n
end
