-- ARGV: now, group, candidate, lease ms.
-- A lapsed leadership is announced expired first. Nobody leads: the candidate is elected with the next
-- term (HINCRBY terms <group> 1, the fencing counter). The candidate leads already: same term, lease set to
-- now + lease, not announced. Result: the leadership's fields, or 0 if another candidate leads.
local group, candidate = ARGV[2], ARGV[3]
local k = P .. 'leader:' .. group
local current = redis.call('HMGET', k, 'leader', 'exp')
if current[1] and NOW >= tonumber(current[2]) then
  local fields = redis.call('HGETALL', k)
  redis.call('DEL', k)
  redis.call('ZREM', P .. 'leading', group)
  record('colony.leader.' .. group .. '.expired', 'expired', 'leader', fields)
  current[1] = false
end
local expires = int(NOW + tonumber(ARGV[4]))
if current[1] then
  if current[1] ~= candidate then
    return {0, changes}
  end
  redis.call('HSET', k, 'exp', expires)
  redis.call('ZADD', P .. 'leading', expires, group)
  return {redis.call('HGETALL', k), changes}
end
local term = redis.call('HINCRBY', P .. 'terms', group, 1)
redis.call('HSET', k, 'group', group, 'leader', candidate, 'term', term, 'exp', expires)
redis.call('ZADD', P .. 'leading', expires, group)
local fields = redis.call('HGETALL', k)
record('colony.leader.' .. group .. '.elected', 'elected', 'leader', fields)
return {fields, changes}
