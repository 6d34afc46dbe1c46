-- ARGV: now, task id, type, priority (0-9), required capabilities (sorted, comma-joined), max attempts,
--       payload, fence group ('' for none), fence term.
-- Result: 1, or 0 if the fence is stale. Error COLONY_STATE if the id exists (in any status).
local id = ARGV[2]
if not fenceHolds(ARGV[8], ARGV[9]) then
  return {0, changes}
end
local k = taskKey(id)
local status = redis.call('HGET', k, 'status')
if status then
  return redis.error_reply('COLONY_STATE task "' .. id .. '" exists already (status ' .. status .. ')')
end
local seq = redis.call('INCR', P .. 'taskseq')
redis.call('HSET', k, 'id', id, 'type', ARGV[3], 'payload', ARGV[7], 'prio', ARGV[4], 'caps', ARGV[5],
  'max', ARGV[6], 'status', 'QUEUED', 'att', 0, 'sub', ARGV[1], 'seq', seq)
redis.call('ZADD', P .. 'tasks', seq, id)
redis.call('ZADD', P .. 'st:QUEUED', seq, id)
makeReady(id, ARGV[5], tonumber(ARGV[4]), seq)
recordTask(id, 'submitted', k)
return {1, changes}
