--[[
  Indexes a chunk of articles for the near-duplicate check, everything expiring after the window.
  KEYS     per article: its signature STRING, then its band SETs
  ARGV[1]  window (ms)
  ARGV[2]  bands per article
  ARGV[3..] two per article: its id, its signature value "canonicalId|base64"
  Returns the number of articles indexed.
]]
local window, per = ARGV[1], tonumber(ARGV[2])
local n = 0
for a = 3, #ARGV, 2 do
  local k = n * (per + 1) + 1
  redis.call('SET', KEYS[k], ARGV[a + 1], 'PX', window)
  for b = k + 1, k + per do
    redis.call('SADD', KEYS[b], ARGV[a])
    redis.call('PEXPIRE', KEYS[b], window)
  end
  n = n + 1
end
return n
