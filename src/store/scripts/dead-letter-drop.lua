--[[
  Forgets one dead letter: its HASH, its place in both ZSETs, its source's count.
  KEYS[1]  ZSET of every dead letter id (keys.deadLetters)
  KEYS[2]  HASH source id → count (keys.deadLetterCounts)
  ARGV[1]  keys.deadLetter('')      ARGV[2]  keys.deadLettersOf('')
  ARGV[3]  the letter's id
  Returns 1 when it existed, 0 otherwise.
]]
-- @include dead-letter-common
return evict(ARGV[3])
