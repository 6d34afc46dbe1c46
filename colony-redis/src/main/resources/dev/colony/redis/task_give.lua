-- ARGV: now, task id, agent id, lease ms, fence group ('' for none), fence term.
-- Assignment by a chooser, step two: claims that exact task for that agent, only if the fence holds, the
-- task is QUEUED and ready (its backoff over) and the agent is IDLE or BUSY with the task's capabilities.
-- Result: the claimed task's fields, or 0 with nothing changed but the catch-up (the caller offers again).
local id, agent, leaseMs = ARGV[2], ARGV[3], tonumber(ARGV[4])
if not fenceHolds(ARGV[5], ARGV[6]) then
  return {0, changes}
end
catchUp()
local caps = redis.call('HGET', taskKey(id), 'caps')
if not caps or not redis.call('ZSCORE', P .. 'ready:' .. caps, id) then
  return {0, changes}
end
local a = redis.call('HMGET', P .. 'agent:' .. agent, 'status', 'caps')
if a[1] ~= 'IDLE' and a[1] ~= 'BUSY' then
  return {0, changes}
end
local has = {}
for _, c in ipairs(split(a[2])) do
  has[c] = true
end
for _, c in ipairs(split(caps)) do
  if not has[c] then
    return {0, changes}
  end
end
return {claimTask(id, caps, agent, leaseMs), changes}
