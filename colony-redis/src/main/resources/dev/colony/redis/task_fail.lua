-- ARGV: now, task id, lease token, reason, retryable (1 or 0), first backoff ms, max backoff ms.
-- Ends the attempt: QUEUED again not before now + backoff (first * 2^(attempts-1), at most max) if
-- retryable and attempts remain, DEAD otherwise; the reason becomes the task's last error.
-- Result: OK, STALE_LEASE or NOT_CLAIMED.
local id = ARGV[2]
catchUp()
local outcome = checkLease(id, ARGV[3])
if outcome == 'OK' then
  local k = taskKey(id)
  local t = redis.call('HMGET', k, 'holder', 'seq', 'att', 'max')
  local attempts, max = tonumber(t[3]), tonumber(t[4])
  unclaim(id, t[1])
  redis.call('HDEL', k, 'holder', 'token', 'lexp', 'nb')
  if ARGV[5] == '1' and attempts < max then
    local backoff, cap = tonumber(ARGV[6]), tonumber(ARGV[7])
    local i = 1
    while i < attempts and backoff < cap do
      backoff = backoff * 2
      i = i + 1
    end
    if backoff > cap then
      backoff = cap
    end
    local notBefore = NOW + backoff
    redis.call('HSET', k, 'status', 'QUEUED', 'nb', int(notBefore), 'err', ARGV[4])
    moveStatus(id, 'CLAIMED', 'QUEUED', t[2])
    redis.call('ZADD', P .. 'delayed', int(notBefore), id)
    recordTask(id, 'failed', k)
  else
    redis.call('HSET', k, 'status', 'DEAD', 'err', ARGV[4])
    redis.call('HDEL', k, 'result')
    moveStatus(id, 'CLAIMED', 'DEAD', t[2])
    recordTask(id, 'dead', k)
    purgeFinished()
  end
end
return {outcome, changes}
