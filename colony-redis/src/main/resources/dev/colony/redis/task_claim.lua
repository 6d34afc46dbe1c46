-- ARGV: now, agent id, lease ms, then the agent's capabilities, one per argument.
-- Expires lapsed leases and readies tasks whose backoff ended, then claims the highest-priority
-- (then earliest submitted) QUEUED task whose required capabilities the agent has.
-- Result: the claimed task's fields, or 0 when there is none.
local offered = {}
for i = 4, #ARGV do
  offered[ARGV[i]] = true
end
catchUp()
local best, bestGroup, bestScore
for _, caps in ipairs(redis.call('SMEMBERS', P .. 'groups')) do
  local covered = true
  for _, c in ipairs(split(caps)) do
    if not offered[c] then
      covered = false
      break
    end
  end
  if covered then
    local head = redis.call('ZRANGE', P .. 'ready:' .. caps, 0, 0, 'WITHSCORES')
    if head[1] and (best == nil or tonumber(head[2]) < bestScore) then
      best, bestGroup, bestScore = head[1], caps, tonumber(head[2])
    end
  end
end
if best == nil then
  return {0, changes}
end
return {claimTask(best, bestGroup, ARGV[2], tonumber(ARGV[3])), changes}
