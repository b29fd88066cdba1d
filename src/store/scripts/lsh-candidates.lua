--[[
  Reads the near-duplicate candidates of a chunk of articles: the members of their LSH bands.
  KEYS     the band SETs of every article of the chunk, article after article
  ARGV[1]  bands per article
  Returns one array per article: the ids in any of its bands (an id may repeat).
]]
local per = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS, per do
  local ids = {}
  for k = i, i + per - 1 do
    for _, id in ipairs(redis.call('SMEMBERS', KEYS[k])) do ids[#ids + 1] = id end
  end
  out[#out + 1] = ids
end
return out
