--[[
  Applies the age and total bounds without storing anything (before a listing or a count, so a
  letter past its age is never shown even when no new one has come since).
  KEYS[1]  ZSET of every dead letter id (keys.deadLetters)
  KEYS[2]  HASH source id → count (keys.deadLetterCounts)
  ARGV[1]  keys.deadLetter('')      ARGV[2]  keys.deadLettersOf('')
  ARGV[3]  age cutoff, epoch ms     ARGV[4]  most letters in all
  Returns how many letters went.
]]
-- @include dead-letter-common
return trim(ARGV[3], tonumber(ARGV[4]))
