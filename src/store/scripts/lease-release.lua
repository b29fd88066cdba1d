--[[
  Releases a poll lease only while it is still the caller's: a poll that outlived its lease must
  not delete the lease a later poll has taken since.

  KEYS[1]  the lease (keys.pollLease(sourceId)), set with SET NX PX by PollLeases.acquire
  ARGV[1]  the token the caller set it with

  Returns 1 when released, 0 when it had expired or belongs to another poll.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
