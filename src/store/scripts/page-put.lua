--[[
  Stores rendered article pages (src/store/page-store.ts), each only if it is of the version
  stored: a slower job rendering an older version never overwrites the newer one's page.
  KEYS[1]  meta HASH (see article-common)
  ARGV[1]  key prefix
  ARGV[2..] eight per page: id, storeHash (of the version rendered), body, etag, lastModified,
           status (200|410), availableAt (ms), jsonEtag
  A page whose bytes, status, availability and record validator are all as stored keeps its
  Last-Modified. A stored page leaves the pages-due set.
  Returns {written, skipped (not the stored version, or the article is gone)}.
]]
-- @include article-common
local written, skipped = 0, 0
for i = 2, #ARGV, 8 do
  local id, h = ARGV[i], ARGV[i + 1]
  local m = parse(redis.call('HGET', meta, id))
  if m and m.h == h then
    local key = p .. ':page:' .. id
    local cur = redis.call('HMGET', key, 'etag', 'status', 'availableAt', 'jsonEtag')
    if cur[1] ~= ARGV[i + 3] or cur[2] ~= ARGV[i + 5] or cur[3] ~= ARGV[i + 6] or cur[4] ~= ARGV[i + 7] then
      redis.call('HSET', key, 'body', ARGV[i + 2], 'etag', ARGV[i + 3], 'lastModified', ARGV[i + 4],
        'status', ARGV[i + 5], 'availableAt', ARGV[i + 6], 'jsonEtag', ARGV[i + 7])
      written = written + 1
    end
    redis.call('SREM', p .. ':pagedue', id)
  else
    skipped = skipped + 1
  end
end
return {written, skipped}
