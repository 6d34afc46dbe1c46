-- ARGV: now, agent id, lease ms, then the agent's capabilities, one per argument.
-- Expires lapsed leases and readies tasks whose backoff ended, then claims the highest-priority
-- (then earliest submitted) QUEUED task whose required capabilities the agent has.
-- Result: the claimed task's fields, or 0 when there is none.
return {claimBest(ARGV[2], tonumber(ARGV[3]), capabilitySet(ARGV, 4)), changes}
