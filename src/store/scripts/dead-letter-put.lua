--[[
  Stores one dead letter (a new one, or the same document or item failing again), then applies
  the bounds: letters older than the age cutoff go, then a source's oldest beyond its bound, then
  the oldest of all beyond the total bound.
  KEYS[1]  ZSET of every dead letter id (keys.deadLetters)
  KEYS[2]  HASH source id → count (keys.deadLetterCounts)
  ARGV[1]  keys.deadLetter('')      ARGV[2]  keys.deadLettersOf('')
  ARGV[3]  the letter's id          ARGV[4]  its source id
  ARGV[5]  now, epoch ms            ARGV[6]  attempts to add to the letter's count
  ARGV[7]  age cutoff, epoch ms     ARGV[8]  most letters of one source
  ARGV[9]  most letters in all      ARGV[10…] field, value pairs of the letter (set as given)
  Returns {attempts, evicted}.
]]
-- @include dead-letter-common
local id, source, now = ARGV[3], ARGV[4], tonumber(ARGV[5])
local key = letterKey .. id
local fields = {}
for i = 10, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', key, 'source', source, 'lastAt', ARGV[5], unpack(fields))
redis.call('HSETNX', key, 'firstAt', ARGV[5])
local attempts = redis.call('HINCRBY', key, 'attempts', tonumber(ARGV[6]))
redis.call('ZADD', all, now, id)
redis.call('ZADD', sourceKey .. source, now, id)
recount(source)
local evicted = 0
local over = redis.call('ZCARD', sourceKey .. source) - tonumber(ARGV[8])
if over > 0 then
  for _, old in ipairs(redis.call('ZRANGE', sourceKey .. source, 0, over - 1)) do evicted = evicted + evict(old) end
end
evicted = evicted + trim(ARGV[7], tonumber(ARGV[9]))
return {attempts, evicted}
