-- ARGV: now, then six per task: id, type, priority (0-9), required capabilities (sorted, comma-joined),
--       max attempts, payload (TaskQueue.submitAll, ADR 0072).
-- Queues each task whose id is new, in argument order, as task_submit does; skips a task whose id exists
-- (in any status, or earlier in this call). Result: {1 or 0 per task: queued or skipped}; one submitted
-- change per task queued, in order. COLONY_ARG if the arguments are not six per task.
if (#ARGV - 1) % 6 ~= 0 then
  return redis.error_reply('COLONY_ARG task_submit_all takes six arguments per task after now, got ' .. (#ARGV - 1))
end
local queued = {}
for i = 2, #ARGV, 6 do
  local id = ARGV[i]
  local k = taskKey(id)
  if redis.call('EXISTS', k) == 1 then
    queued[#queued + 1] = 0
  else
    local seq = redis.call('INCR', P .. 'taskseq')
    redis.call('HSET', k, 'id', id, 'type', ARGV[i + 1], 'payload', ARGV[i + 5], 'prio', ARGV[i + 2],
      'caps', ARGV[i + 3], 'max', ARGV[i + 4], 'status', 'QUEUED', 'att', 0, 'sub', ARGV[1], 'seq', seq)
    redis.call('ZADD', P .. 'tasks', seq, id)
    redis.call('ZADD', P .. 'st:QUEUED', seq, id)
    makeReady(id, ARGV[i + 3], tonumber(ARGV[i + 2]), seq)
    recordTask(id, 'submitted', k)
    queued[#queued + 1] = 1
  end
end
return {queued, changes}
