--[[
  Takes over a poll lease whose holder is known to be dead (its process was killed mid-poll), so
  the source is not blocked until the lease expires; only if it is still that holder's.

  KEYS[1]  the lease (keys.pollLease(sourceId))
  ARGV[1]  the dead holder's token, as read
  ARGV[2]  the new token
  ARGV[3]  TTL of the new lease, in ms

  Returns 1 when taken over, 0 when the lease changed meanwhile (expired, released or taken).
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
