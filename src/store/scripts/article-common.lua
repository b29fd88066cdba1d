--[[
  Shared by the article scripts (included with `-- @include article-common`).
  KEYS[1]  the meta HASH: id → "storeHash\tscore\ttopics\tsourceId\tstate\tlang",
           state live|held|canceled, topics '~dup' for a near-duplicate
  ARGV[1]  the key prefix (keys below are built from it; see src/store/keys.ts)
  Only live articles are in the feed indexes (p:i:<feed>); every stored article is in p:stored.
]]
local meta, p = KEYS[1], ARGV[1]
local changed, seen = {}, {}
local function mark(f) if not seen[f] then seen[f] = true; changed[#changed + 1] = f end end
local function feedsOf(topics, src, lang)
  -- '~dup' marks a duplicate: it lives in its source's feed only.
  if topics == '~dup' then return {'source:' .. src} end
  local t = {'all', 'source:' .. src}
  if lang ~= '' then t[#t + 1] = 'all.' .. lang end
  for x in string.gmatch(topics, '[^,]+') do
    t[#t + 1] = x
    -- The language variant of the topic feed (economy.ar), for languages the operator publishes.
    if lang ~= '' then t[#t + 1] = x .. '.' .. lang end
  end
  return t
end
local function parse(m)
  if not m then return nil end
  local f = {}
  for x in string.gmatch(m .. '\t', '([^\t]*)\t') do f[#f + 1] = x end
  local state = f[5]
  if state == nil or state == '' then state = 'live' end
  return { h = f[1], score = tonumber(f[2]) or 0, topics = f[3] or '', src = f[4] or '', state = state, lang = f[6] or '' }
end
