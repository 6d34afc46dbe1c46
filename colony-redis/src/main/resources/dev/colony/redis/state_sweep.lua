-- ARGV: now, heartbeat timeout ms. Expires what is due by now: agents whose last heartbeat is older than
-- the timeout become FAILED (their leases released), lapsed task leases, lapsed leaderships, entries whose
-- TTL ended. Result: the number of changes.
local oldest = NOW - tonumber(ARGV[2])
local late = redis.call('ZRANGEBYSCORE', P .. 'beats', '-inf', '(' .. int(oldest))
local agents = {}
for _, id in ipairs(late) do
  local a = redis.call('HMGET', P .. 'agent:' .. id, 'seq', 'hb')
  agents[#agents + 1] = {id = id, seq = tonumber(a[1]), hb = a[2]}
end
table.sort(agents, function(a, b) return a.seq < b.seq end)
for _, a in ipairs(agents) do
  local k = P .. 'agent:' .. a.id
  redis.call('HSET', k, 'status', 'FAILED')
  redis.call('ZREM', P .. 'beats', a.id)
  redis.call('DEL', P .. 'alive:' .. a.id)
  record('colony.agent.' .. a.id .. '.failed', 'failed', 'agent', redis.call('HGETALL', k))
  releaseLeasesOf(a.id, 'agent ' .. a.id .. ' missed its heartbeats (last ' .. tostring(a.hb) .. ' ms)')
end
expireLeases()
for _, group in ipairs(redis.call('ZRANGEBYSCORE', P .. 'leading', '-inf', int(NOW))) do
  local k = P .. 'leader:' .. group
  local fields = redis.call('HGETALL', k)
  redis.call('DEL', k)
  redis.call('ZREM', P .. 'leading', group)
  record('colony.leader.' .. group .. '.expired', 'expired', 'leader', fields)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'memexp', '-inf', int(NOW))) do
  record('colony.memory.' .. id, 'expired', 'memory', removeEntry(id))
end
purgeFinished()
return {#changes, changes}
