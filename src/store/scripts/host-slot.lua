--[[
  Takes one request slot of a host, for every worker on every machine sharing this Redis: at most
  ARGV[2] requests in flight and at most ARGV[3] started in the last minute. Times are Redis's
  own clock (TIME), so machines with skewed clocks agree. Slots of a process killed mid-request
  expire after ARGV[4] ms.

  KEYS[1]  ZSET token → expiry (ms) of the requests in flight (keys.hostInFlight(host))
  KEYS[2]  ZSET token → start (ms) of the requests of the last minute (keys.hostRecent(host))
  ARGV[1]  the token of this request (unique)
  ARGV[2]  requests in flight allowed
  ARGV[3]  requests per minute allowed
  ARGV[4]  how long an unreleased slot is held, in ms

  Returns {1, 0} when the slot is taken; {0, ms} when not: in flight full (ms: until the oldest
  slot would expire) or the minute's budget spent (ms: until its oldest request leaves the minute),
  third element 'in-flight' or 'rate'.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(oldest[2]) - now), 'in-flight'}
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(oldest[2]) + 60000 - now), 'rate'}
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], 60000)
return {1, 0, 'ok'}
