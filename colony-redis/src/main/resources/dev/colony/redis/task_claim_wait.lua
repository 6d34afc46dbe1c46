-- ARGV: now, agent id, lease ms, max (1-1000), waiter id, wait ms, then the agent's capabilities, one per
-- argument. A claim that may wait (TaskQueue.claim with a wait, ADR 0076): task_claim for the agent until max
-- are claimed or none is claimable. When none was claimed, registers the waiter (ZADD S waiters now + wait)
-- and empties its list S wake:<waiter>, in this same call, so a task made ready by any later call pushes a
-- token there; when some were, unregisters it. The caller then blocks on S wake:<waiter> (BLPOP) for up to
-- wait ms and calls this again.
-- Result: {claimed task's fields, ...}; the claims' changes in order.
local max, waitMs = tonumber(ARGV[4]), tonumber(ARGV[6])
local waiter = ARGV[5]
if max == nil or max < 1 or waitMs == nil or waitMs < 0 or waiter == nil or waiter == '' then
  return redis.error_reply('COLONY_ARG task_claim_wait: bad max "' .. tostring(ARGV[4]) .. '", waiter "'
    .. tostring(ARGV[5]) .. '" or wait "' .. tostring(ARGV[6]) .. '"')
end
catchUp()
local offered = capabilitySet(ARGV, 7)
local leaseMs = tonumber(ARGV[3])
local claimed = {}
while #claimed < max do
  local fields = claimBest(ARGV[2], leaseMs, offered, true)
  if fields == 0 then
    break
  end
  claimed[#claimed + 1] = fields
end
if #claimed == 0 then
  redis.call('ZADD', P .. 'waiters', int(NOW + waitMs), waiter)
  redis.call('DEL', P .. 'wake:' .. waiter)
else
  redis.call('ZREM', P .. 'waiters', waiter)
end
return {claimed, changes}
