--[[
  Records that a feed's archive pages up to ARGV[1] are stored, and that pages before ARGV[2]
  are gone (retention): each field only ever grows, so a slower job cannot move it back.
  KEYS[1]  the feed's archive state HASH (p:arch:<feed>)
  ARGV[1]  full pages stored (0: leave as it is)
  ARGV[2]  oldest page kept (0: leave as it is)
  Returns {pages, first}.
]]
local state = KEYS[1]
local pages = tonumber(redis.call('HGET', state, 'pages') or '0')
local first = tonumber(redis.call('HGET', state, 'first') or '1')
local p, f = tonumber(ARGV[1]), tonumber(ARGV[2])
if p > pages then pages = p; redis.call('HSET', state, 'pages', pages) end
if f > first then first = f; redis.call('HSET', state, 'first', first) end
return {pages, first}
