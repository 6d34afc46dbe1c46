-- ARGV: now, agent id, lease ms, max (1-1000), n completions, then three per completion (task id, lease token,
-- result), then the agent's capabilities, one per argument. A worker's completions and its next claims in one
-- call (TaskQueue.completeAndClaim with lists, ADR 0072): task_complete without a fence for each completion in
-- order, then task_claim for the agent up to max times, until none is claimable, whatever the outcomes.
-- Result: {{outcome per completion}, {claimed task's fields, ...}}; the changes in order (completions, claims).
local max, n = tonumber(ARGV[4]), tonumber(ARGV[5])
if max == nil or max < 1 or n == nil or n < 0 or #ARGV < 5 + 3 * n then
  return redis.error_reply('COLONY_ARG task_complete_claim_many: bad max "' .. tostring(ARGV[4])
    .. '" or completion count "' .. tostring(ARGV[5]) .. '" for ' .. #ARGV .. ' arguments')
end
-- Lapsed leases expired and due tasks readied once per call, retention purged once after the completions:
-- every step runs at the same NOW and none creates a lease that lapses by it (ADR 0076).
catchUp()
local outcomes = {}
local completedAny = false
for i = 6, 5 + 3 * n, 3 do
  local outcome = completeLease(ARGV[i], ARGV[i + 1], ARGV[i + 2], true)
  completedAny = completedAny or outcome == 'OK'
  outcomes[#outcomes + 1] = outcome
end
if completedAny then
  purgeFinished()
end
local offered = capabilitySet(ARGV, 6 + 3 * n)
local leaseMs = tonumber(ARGV[3])
local claimed = {}
while #claimed < max do
  local fields = claimBest(ARGV[2], leaseMs, offered, true)
  if fields == 0 then
    break
  end
  claimed[#claimed + 1] = fields
end
return {{outcomes, claimed}, changes}
