-- ARGV: now, fence group ('' for none), fence term.
-- Assignment by a chooser, step one (the choice runs in the caller, then task_give claims): catches up,
-- then offers the head of every ready group in claim order and the IDLE or BUSY agents in registration order.
-- Result: 0 when the fence is stale, else {heads, agents, leases}: the heads' task fields, the agents'
-- fields, and how many leases each of those agents holds.
if not fenceHolds(ARGV[2], ARGV[3]) then
  return {0, changes}
end
catchUp()
local agents, leases = {}, {}
for _, id in ipairs(redis.call('ZRANGE', P .. 'agents', 0, -1)) do
  local k = P .. 'agent:' .. id
  local status = redis.call('HGET', k, 'status')
  if status == 'IDLE' or status == 'BUSY' then
    agents[#agents + 1] = redis.call('HGETALL', k)
    leases[#leases + 1] = redis.call('ZCARD', P .. 'held:' .. id)
  end
end
local heads = {}
if #agents > 0 then
  local found = {}
  for _, caps in ipairs(redis.call('SMEMBERS', P .. 'groups')) do
    local head = redis.call('ZRANGE', P .. 'ready:' .. caps, 0, 0, 'WITHSCORES')
    if head[1] then
      found[#found + 1] = {id = head[1], score = tonumber(head[2])}
    end
  end
  table.sort(found, function(a, b) return a.score < b.score end)
  for _, head in ipairs(found) do
    heads[#heads + 1] = redis.call('HGETALL', taskKey(head.id))
  end
end
return {{heads, agents, leases}, changes}
