-- ARGV: now, group, leader, term, lease ms. Result: 1 if that leadership is the group's current, live one
-- (its lease now ends at now + lease; not announced), 0 otherwise.
local group = ARGV[2]
local k = P .. 'leader:' .. group
local c = redis.call('HMGET', k, 'leader', 'term', 'exp')
if not c[1] or NOW >= tonumber(c[3]) or c[1] ~= ARGV[3] or c[2] ~= ARGV[4] then
  return {0, changes}
end
local expires = int(NOW + tonumber(ARGV[5]))
redis.call('HSET', k, 'exp', expires)
redis.call('ZADD', P .. 'leading', expires, group)
return {1, changes}
