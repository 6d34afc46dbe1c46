-- ARGV: now, group, leader, term. Result: 1 if that leadership was the group's current, live one (now
-- ended and announced resigned; the term stays), 0 otherwise.
local group = ARGV[2]
local k = P .. 'leader:' .. group
local c = redis.call('HMGET', k, 'leader', 'term', 'exp')
if not c[1] or NOW >= tonumber(c[3]) or c[1] ~= ARGV[3] or c[2] ~= ARGV[4] then
  return {0, changes}
end
local fields = redis.call('HGETALL', k)
redis.call('DEL', k)
redis.call('ZREM', P .. 'leading', group)
record('colony.leader.' .. group .. '.resigned', 'resigned', 'leader', fields)
return {1, changes}
