-- Colony coordination state: the prelude of every state script (docs/redis-protocol.md).
-- Every script is this file followed by the script's own file, run with EVAL/EVALSHA.
-- KEYS[1]: the state prefix "colony:{<swarm>}:s:". ARGV[1]: now, in milliseconds since the epoch, by the
-- caller's clock (Redis TIME is never used for logic).
-- Every script returns {result, changes}; each change is {subject, change, revision, kind, fields}, where
-- fields is the changed record's hash (HGETALL form) and kind is agent, task, leader or memory.
local P = KEYS[1]
local NOW = tonumber(ARGV[1])
local changes = {}

local function int(n)
  return string.format('%d', n)
end

local function record(subject, name, kind, fields)
  local revision = redis.call('INCR', P .. 'rev')
  changes[#changes + 1] = {subject, name, revision, kind, fields}
end

-- Task changes are announced only while some node watches them (ADR 0076): the watch key
-- colony:{<swarm>}:taskwatch (beside the state prefix, so a restore keeps it) is a sorted set of the nodes
-- whose bus has a subscription that could match a colony.task subject, written by those nodes before
-- their subscription returns. Without it, a task change still takes its revision but is not returned
-- (no HGETALL, nothing for the caller to publish). Read at most once per call: the answer is kept with the
-- call's own changes table (the Functions library defines these helpers once for every call).
local watchCall, taskWatched

local function tasksWatched()
  if watchCall ~= changes then
    watchCall = changes
    taskWatched = redis.call('EXISTS', string.sub(P, 1, -3) .. 'taskwatch') == 1
  end
  return taskWatched
end

-- Records change name of task id whose hash is at key k (read only when the change is announced).
local function recordTask(id, name, k)
  if tasksWatched() then
    record('colony.task.' .. id .. '.' .. name, name, 'task', redis.call('HGETALL', k))
  else
    redis.call('INCR', P .. 'rev')
  end
end

local function fenceHolds(group, term)
  if group == nil or group == '' then
    return true
  end
  return redis.call('HGET', P .. 'terms', group) == term
end

local function split(text)
  local parts = {}
  if text == nil or text == '' then
    return parts
  end
  for part in string.gmatch(text, '[^,]+') do
    parts[#parts + 1] = part
  end
  return parts
end

-- Advisory TTL keys (never read by a script): alive:<agent> and lease:<task> expire twice their
-- remaining time after the deadline the clock set, a garbage-collection backstop for observers.
local function advisory(key, value, remainingMs)
  if remainingMs < 1 then
    remainingMs = 1
  end
  redis.call('SET', key, value, 'PX', int(remainingMs * 2))
end

-- Tasks ---------------------------------------------------------------------------------------------

local function taskKey(id)
  return P .. 'task:' .. id
end

local function readyScore(priority, seq)
  return (9 - priority) * 1000000000000 + seq
end

-- Waiting claims (ADR 0076): a claim that found nothing and may wait registers its waiter id in the sorted
-- set S waiters (score: when it stops waiting, by NOW) in the same call, and then blocks on its own list
-- S wake:<waiter> (BLPOP). The first task a call makes ready pops every registered waiter (at most
-- WAKE_LIMIT per call, the earliest to stop first) and pushes one token on each one's list, which then
-- claims again: whatever their capabilities, so no waiter that could take the task sleeps through it. A
-- list holds at most one token (a waiter is popped when woken and clears its list when it registers) and
-- expires WAKE_TTL ms after the push (a waiter that gave up never reads it). Once per call.
local WAKE_LIMIT = 1000
local WAKE_TTL = 60000
local wakeCall

local function wakeWaiters()
  if wakeCall == changes then
    return
  end
  wakeCall = changes
  local waiters = P .. 'waiters'
  if redis.call('ZCARD', waiters) == 0 then
    return
  end
  redis.call('ZREMRANGEBYSCORE', waiters, '-inf', '(' .. int(NOW))
  local popped = redis.call('ZPOPMIN', waiters, WAKE_LIMIT)
  for i = 1, #popped, 2 do
    local list = P .. 'wake:' .. popped[i]
    redis.call('RPUSH', list, '1')
    redis.call('PEXPIRE', list, WAKE_TTL)
  end
end

local function makeReady(id, caps, priority, seq)
  redis.call('ZADD', P .. 'ready:' .. caps, int(readyScore(priority, seq)), id)
  redis.call('SADD', P .. 'groups', caps)
  wakeWaiters()
end

local function leaveReady(id, caps)
  local group = P .. 'ready:' .. caps
  if redis.call('ZREM', group, id) == 1 and redis.call('ZCARD', group) == 0 then
    redis.call('SREM', P .. 'groups', caps)
  end
end

-- Finished tasks by kind, scored by finishing order (S doneseq), with the time each finished in the hash
-- S finat: what the retention purges (ADR 0035).
local DONE = {COMPLETED = 'done:ok', DEAD = 'done:ko', CANCELLED = 'done:ko'}
local PURGE_LIMIT = 512
local PURGE_PAGE = 8

local function moveStatus(id, from, to, seq)
  redis.call('ZREM', P .. 'st:' .. from, id)
  redis.call('ZADD', P .. 'st:' .. to, seq, id)
  local done = DONE[to]
  if done then
    redis.call('ZADD', P .. done, redis.call('INCR', P .. 'doneseq'), id)
    redis.call('HSET', P .. 'finat', id, int(NOW))
  end
end

local function forgetTask(doneKey, id)
  local k = taskKey(id)
  local status = redis.call('HGET', k, 'status')
  if status then
    redis.call('ZREM', P .. 'st:' .. status, id)
  end
  redis.call('ZREM', P .. 'tasks', id)
  redis.call('ZREM', doneKey, id)
  redis.call('HDEL', P .. 'finat', id)
  redis.call('DEL', k)
end

-- Purges one kind's finished tasks older than age ms, then the oldest beyond keep (nil: no limit); at
-- most PURGE_LIMIT per call, so a script's cost stays bounded (the next call or sweep takes the rest).
local function purgeKind(doneKey, keep, age)
  local key = P .. doneKey
  local left = PURGE_LIMIT
  if age then
    -- finishing order is time order (one clock per swarm), so the old ones are at the head
    -- read in pages of PURGE_PAGE from the head: a completion usually purges one or none, so reading
    -- PURGE_LIMIT ids per call would be O(PURGE_LIMIT) work for nothing (ADR 0076)
    local oldest = NOW - age
    local young = false
    while left > 0 and not young do
      local page = redis.call('ZRANGE', key, 0, math.min(left, PURGE_PAGE) - 1)
      for _, id in ipairs(page) do
        local at = tonumber(redis.call('HGET', P .. 'finat', id))
        if at and at >= oldest then
          young = true
          break
        end
        forgetTask(key, id)
        left = left - 1
      end
      young = young or #page < PURGE_PAGE
    end
  end
  if keep and left > 0 then
    local over = redis.call('ZCARD', key) - keep
    if over > left then
      over = left
    end
    if over > 0 then
      for _, id in ipairs(redis.call('ZRANGE', key, 0, over - 1)) do
        forgetTask(key, id)
      end
    end
  end
end

-- Applies the swarm's retention (hash S retention: okKeep, okAge, koKeep, koAge; absent: no limit).
-- Silent: purges take no revision and are not announced.
local function purgeFinished()
  local r = redis.call('HMGET', P .. 'retention', 'okKeep', 'okAge', 'koKeep', 'koAge')
  if r[1] or r[2] then
    purgeKind('done:ok', tonumber(r[1]), tonumber(r[2]))
  end
  if r[3] or r[4] then
    purgeKind('done:ko', tonumber(r[3]), tonumber(r[4]))
  end
end

local function unclaim(id, holder)
  redis.call('ZREM', P .. 'claimed', id)
  redis.call('ZREM', P .. 'held:' .. holder, id)
  redis.call('DEL', P .. 'lease:' .. id)
end

-- Stops the script with a COLONY_CORRUPT error naming the key (data Colony did not write).
local function corrupt(key, what)
  error({err = 'COLONY_CORRUPT key ' .. key .. ': ' .. what})
end

local function expectStatus(k, expected)
  local status = redis.call('HGET', k, 'status')
  if status ~= expected then
    corrupt(k, 'status is "' .. tostring(status) .. '" but the task is indexed as ' .. expected)
  end
end

-- Ends a CLAIMED task's lease as if it expired: queued again while attempts remain, DEAD otherwise.
local function release(id, reason)
  local k = taskKey(id)
  expectStatus(k, 'CLAIMED')
  local t = redis.call('HMGET', k, 'holder', 'att', 'max', 'caps', 'prio', 'seq')
  local attempts, max = tonumber(t[2]), tonumber(t[3])
  unclaim(id, t[1])
  redis.call('HDEL', k, 'holder', 'token', 'lexp', 'nb')
  if attempts < max then
    redis.call('HSET', k, 'status', 'QUEUED', 'err', reason)
    moveStatus(id, 'CLAIMED', 'QUEUED', t[6])
    makeReady(id, t[4], tonumber(t[5]), tonumber(t[6]))
    recordTask(id, 'expired', k)
  else
    redis.call('HSET', k, 'status', 'DEAD', 'err',
      reason .. '; out of attempts (' .. attempts .. ' of ' .. max .. ')')
    moveStatus(id, 'CLAIMED', 'DEAD', t[6])
    recordTask(id, 'dead', k)
  end
end

local function releaseLeasesOf(agent, reason)
  for _, id in ipairs(redis.call('ZRANGE', P .. 'held:' .. agent, 0, -1)) do
    release(id, reason)
  end
end

-- Expires every lease lapsed by NOW (a lease lapses at its deadline), earliest first.
local function expireLeases()
  local lapsed = redis.call('ZRANGEBYSCORE', P .. 'claimed', '-inf', int(NOW), 'WITHSCORES')
  for i = 1, #lapsed, 2 do
    local id = lapsed[i]
    local holder = redis.call('HGET', taskKey(id), 'holder')
    release(id, 'lease of ' .. tostring(holder) .. ' expired at ' .. lapsed[i + 1] .. ' ms')
  end
  return #lapsed / 2
end

-- Moves QUEUED tasks whose retry backoff ended by NOW to their ready group.
local function readyDue()
  local due = redis.call('ZRANGEBYSCORE', P .. 'delayed', '-inf', int(NOW))
  for _, id in ipairs(due) do
    redis.call('ZREM', P .. 'delayed', id)
    local t = redis.call('HMGET', taskKey(id), 'caps', 'prio', 'seq')
    makeReady(id, t[1], tonumber(t[2]), tonumber(t[3]))
  end
end

local function catchUp()
  expireLeases()
  readyDue()
end

-- Claims QUEUED task id (in ready group caps) for agent until NOW + leaseMs; returns the task's fields.
-- One HMGET reads what the claim needs (status, seq, attempts, and whether a backoff or an old result
-- is left to delete) and one HSET writes it back (ADR 0060).
local function claimTask(id, caps, agent, leaseMs)
  local k = taskKey(id)
  local t = redis.call('HMGET', k, 'status', 'seq', 'att', 'nb', 'result')
  if t[1] ~= 'QUEUED' then
    corrupt(k, 'status is "' .. tostring(t[1]) .. '" but the task is indexed as QUEUED')
  end
  local attempts = 0
  if t[3] then
    attempts = tonumber(t[3])
    if attempts == nil or attempts ~= math.floor(attempts) then
      corrupt(k, 'attempts "' .. t[3] .. '" is not a number')
    end
  end
  leaveReady(id, caps)
  local token = redis.call('INCR', P .. 'token')
  local expires = NOW + leaseMs
  redis.call('HSET', k, 'status', 'CLAIMED', 'att', int(attempts + 1), 'holder', agent, 'token', token,
    'lexp', int(expires))
  if t[4] or t[5] then
    redis.call('HDEL', k, 'nb', 'result')
  end
  local seq = t[2]
  moveStatus(id, 'QUEUED', 'CLAIMED', seq)
  redis.call('ZADD', P .. 'claimed', int(expires), id)
  redis.call('ZADD', P .. 'held:' .. agent, token, id)
  advisory(P .. 'lease:' .. id, agent .. ' ' .. token, leaseMs)
  local fields = redis.call('HGETALL', k)
  if tasksWatched() then
    record('colony.task.' .. id .. '.claimed', 'claimed', 'task', fields)
  else
    redis.call('INCR', P .. 'rev')
  end
  return fields
end

-- OK if token is the task's current lease; STALE_LEASE if it went back to the queue or was claimed
-- again; NOT_CLAIMED if the task is unknown or final. Second result: the task's status, token, holder
-- and seq as read (one HMGET, so that a completion need not read the hash again).
local function checkLease(id, token)
  local t = redis.call('HMGET', taskKey(id), 'status', 'token', 'holder', 'seq')
  if t[1] == 'CLAIMED' then
    if t[2] == token then
      return 'OK', t
    end
    return 'STALE_LEASE', t
  elseif t[1] == 'QUEUED' then
    return 'STALE_LEASE', t
  elseif t[1] and t[1] ~= 'COMPLETED' and t[1] ~= 'DEAD' and t[1] ~= 'CANCELLED' then
    corrupt(taskKey(id), 'unknown status "' .. t[1] .. '"')
  end
  return 'NOT_CLAIMED', t
end

-- The set of capabilities argv[first..] (a claim's offer).
local function capabilitySet(argv, first)
  local offered = {}
  for i = first, #argv do
    offered[argv[i]] = true
  end
  return offered
end

-- Expires lapsed leases and readies tasks whose backoff ended, then claims the highest-priority (then
-- earliest submitted) QUEUED task whose required capabilities offered (a set) covers, for agent until
-- NOW + leaseMs. Returns the task's fields, or 0 when there is none (task_claim, task_complete_claim).
-- caughtUp: the caller ran catchUp() already in this call at this NOW (a batch claim catches up once:
-- nothing it claims can lapse or come due within the same NOW).
local function claimBest(agent, leaseMs, offered, caughtUp)
  if not caughtUp then
    catchUp()
  end
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
    return 0
  end
  return claimTask(best, bestGroup, agent, leaseMs)
end

-- Completes task id under lease token with result: OK (COMPLETED), STALE_LEASE or NOT_CLAIMED
-- (task_complete, task_complete_claim; the caller checks the fence first). Lapsed leases only: a
-- completion reads no ready group, so readying tasks whose backoff ended is left to the calls that do
-- (claim, assign, offer, give, renew, fail) and costs a completion nothing (ADR 0060).
-- batched: the caller expired lapsed leases already in this call and purges once after its completions
-- (task_complete_claim_many: all at one NOW, so once per call does what once per completion would).
local function completeLease(id, token, result, batched)
  if not batched then
    expireLeases()
  end
  local outcome, lease = checkLease(id, token)
  if outcome == 'OK' then
    local k = taskKey(id)
    local t = {lease[3], lease[4]}
    unclaim(id, t[1])
    redis.call('HDEL', k, 'holder', 'token', 'lexp', 'nb')
    redis.call('HSET', k, 'status', 'COMPLETED', 'result', result)
    moveStatus(id, 'CLAIMED', 'COMPLETED', t[2])
    recordTask(id, 'completed', k)
    if not batched then
      purgeFinished()
    end
  end
  return outcome
end

-- Memory ----------------------------------------------------------------------------------------------

local MAX_TOMBSTONES = 65536

local function bury(id, version)
  redis.call('HSET', P .. 'tomb', id, version)
  redis.call('ZADD', P .. 'tombs', redis.call('INCR', P .. 'tombseq'), id)
  if redis.call('ZCARD', P .. 'tombs') > MAX_TOMBSTONES then
    local oldest = redis.call('ZRANGE', P .. 'tombs', 0, 0)[1]
    local last = tonumber(redis.call('HGET', P .. 'tomb', oldest))
    local floor = tonumber(redis.call('GET', P .. 'memfloor') or '0')
    if last > floor then
      redis.call('SET', P .. 'memfloor', last)
    end
    redis.call('HDEL', P .. 'tomb', oldest)
    redis.call('ZREM', P .. 'tombs', oldest)
  end
end

-- Removes entry id (retiring its version); returns its fields as they were.
local function removeEntry(id)
  local k = P .. 'mem:' .. id
  local fields = redis.call('HGETALL', k)
  local version = redis.call('HGET', k, 'v')
  redis.call('DEL', k)
  redis.call('ZREM', P .. 'mem', id)
  redis.call('ZREM', P .. 'memexp', id)
  bury(id, version)
  return fields
end

-- The live version of entry id, or nil; a lapsed entry is removed and announced expired.
local function liveVersion(id)
  local k = P .. 'mem:' .. id
  local e = redis.call('HMGET', k, 'v', 'exp')
  if not e[1] then
    return nil
  end
  if e[2] and NOW >= tonumber(e[2]) then
    record('colony.memory.' .. id, 'expired', 'memory', removeEntry(id))
    return nil
  end
  return tonumber(e[1])
end
