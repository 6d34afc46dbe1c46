-- ARGV: now, task id. Cancels a QUEUED or CLAIMED task (its lease becomes stale).
-- Result: 1, or 0 if the task is unknown or final.
local id = ARGV[2]
local k = taskKey(id)
local t = redis.call('HMGET', k, 'status', 'holder', 'caps', 'seq')
local status = t[1]
if status == 'QUEUED' then
  leaveReady(id, t[3])
  redis.call('ZREM', P .. 'delayed', id)
elseif status == 'CLAIMED' then
  unclaim(id, t[2])
else
  return {0, changes}
end
redis.call('HDEL', k, 'holder', 'token', 'lexp', 'nb', 'result')
redis.call('HSET', k, 'status', 'CANCELLED')
moveStatus(id, status, 'CANCELLED', t[4])
recordTask(id, 'cancelled', k)
purgeFinished()
return {1, changes}
