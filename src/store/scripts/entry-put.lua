--[[
  Stores rendered feed entries (src/store/entry-store.ts). An article's entries share one hash
  with the revision they were rendered from; an entry of another revision replaces the hash, so
  entries of an older version of the article (or of another configuration) never stay beside it.
  KEYS[1..n]  the entry hash of each write (keys.entries(id))
  ARGV[1]     seconds the hash is kept after its last write
  ARGV[2..]   three per key, in KEYS order: revision, slot (`rss:ar`, `json:*`, …), entry
  Returns the number of hashes replaced (revision changed or new).
]]
local ttl = tonumber(ARGV[1])
local replaced = 0
for i = 1, #KEYS do
  local key, rev = KEYS[i], ARGV[3 * i - 1]
  if redis.call('HGET', key, 'rev') ~= rev then
    redis.call('DEL', key)
    redis.call('HSET', key, 'rev', rev)
    replaced = replaced + 1
  end
  redis.call('HSET', key, ARGV[3 * i], ARGV[3 * i + 1])
  redis.call('EXPIRE', key, ttl)
end
return replaced
