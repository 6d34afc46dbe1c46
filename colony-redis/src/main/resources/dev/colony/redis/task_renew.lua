-- ARGV: now, task id, lease token, extension ms. Expires lapsed leases first.
-- Result: OK (the lease now ends at now + extension), STALE_LEASE or NOT_CLAIMED.
local id = ARGV[2]
catchUp()
local outcome = checkLease(id, ARGV[3])
if outcome == 'OK' then
  local k = taskKey(id)
  local expires = NOW + tonumber(ARGV[4])
  redis.call('HSET', k, 'lexp', int(expires))
  redis.call('ZADD', P .. 'claimed', int(expires), id)
  advisory(P .. 'lease:' .. id, redis.call('HGET', k, 'holder') .. ' ' .. ARGV[3], tonumber(ARGV[4]))
  recordTask(id, 'renewed', k)
end
return {outcome, changes}
