-- ARGV: now, task id, lease token, result, agent id, lease ms, then the agent's capabilities, one per
-- argument. A worker's completion and its next claim in one call (TaskQueue.completeAndClaim, ADR 0063):
-- task_complete without a fence, then task_claim for the agent whatever the completion's outcome.
-- Result: {outcome, the claimed task's fields or 0}; the changes in order (completed, then claimed).
local outcome = completeLease(ARGV[2], ARGV[3], ARGV[4])
return {{outcome, claimBest(ARGV[5], tonumber(ARGV[6]), capabilitySet(ARGV, 7))}, changes}
