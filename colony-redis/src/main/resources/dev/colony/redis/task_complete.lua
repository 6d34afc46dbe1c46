-- ARGV: now, task id, lease token, result, fence group ('' for none), fence term.
-- Result: OK (COMPLETED with the result), STALE_TERM, STALE_LEASE or NOT_CLAIMED.
local id = ARGV[2]
if not fenceHolds(ARGV[5], ARGV[6]) then
  return {'STALE_TERM', changes}
end
-- Lapsed leases only: a completion reads no ready group, so readying tasks whose backoff ended is left to
-- the calls that do (claim, assign, offer, give, renew, fail) and costs a completion nothing (ADR 0060).
expireLeases()
local outcome, lease = checkLease(id, ARGV[3])
if outcome == 'OK' then
  local k = taskKey(id)
  local t = {lease[3], lease[4]}
  unclaim(id, t[1])
  redis.call('HDEL', k, 'holder', 'token', 'lexp', 'nb')
  redis.call('HSET', k, 'status', 'COMPLETED', 'result', ARGV[4])
  moveStatus(id, 'CLAIMED', 'COMPLETED', t[2])
  record('colony.task.' .. id .. '.completed', 'completed', 'task', redis.call('HGETALL', k))
  purgeFinished()
end
return {outcome, changes}
