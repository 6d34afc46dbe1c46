-- ARGV: now, revision, last lease token, memory version floor, then five sections, each a count followed
-- by that many records: agents, tasks, groups, memory entries, retired keys. A record is a count n and n
-- field/value pairs of its hash, as the other scripts write it (a group: group, term, exp and, when it has
-- a leader, leader; a retired key: id and v). Deletes every key of the state (SCAN of the prefix), then
-- writes the snapshot's content and rebuilds the indexes. The caller validated the snapshot.
-- Result: the revision.
local retention = redis.call('HGETALL', P .. 'retention') -- the swarm's policy, not part of a snapshot
local cursor = '0'
repeat
  local page = redis.call('SCAN', cursor, 'MATCH', P .. '*', 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    redis.call('DEL', key)
  end
until cursor == '0'
if #retention > 0 then
  redis.call('HSET', P .. 'retention', unpack(retention))
end

local pos = 5
local function nextRecord()
  local n = tonumber(ARGV[pos])
  local r = {}
  local list = {}
  for i = 1, n do
    local f, v = ARGV[pos + 2 * i - 1], ARGV[pos + 2 * i]
    r[f] = v
    list[#list + 1] = f
    list[#list + 1] = v
  end
  pos = pos + 1 + 2 * n
  return r, list
end
local function count()
  local n = tonumber(ARGV[pos])
  pos = pos + 1
  return n
end

local agents = count()
for seq = 1, agents do
  local a, list = nextRecord()
  local k = P .. 'agent:' .. a.id
  redis.call('HSET', k, unpack(list))
  redis.call('HSET', k, 'seq', seq)
  redis.call('ZADD', P .. 'agents', seq, a.id)
  if a.status ~= 'STOPPED' and a.status ~= 'FAILED' then
    redis.call('ZADD', P .. 'beats', a.hb, a.id)
  end
end
redis.call('SET', P .. 'agentseq', agents)

local tasks = count()
for seq = 1, tasks do
  local t, list = nextRecord()
  local k = taskKey(t.id)
  redis.call('HSET', k, unpack(list))
  redis.call('HSET', k, 'seq', seq)
  redis.call('ZADD', P .. 'tasks', seq, t.id)
  redis.call('ZADD', P .. 'st:' .. t.status, seq, t.id)
  if DONE[t.status] then
    -- finish times are not in snapshots: restored finished tasks count as finished now
    redis.call('ZADD', P .. DONE[t.status], redis.call('INCR', P .. 'doneseq'), t.id)
    redis.call('HSET', P .. 'finat', t.id, int(NOW))
  end
  if t.status == 'QUEUED' then
    if t.nb then
      redis.call('ZADD', P .. 'delayed', t.nb, t.id)
    else
      makeReady(t.id, t.caps, tonumber(t.prio), seq)
    end
  elseif t.status == 'CLAIMED' then
    redis.call('ZADD', P .. 'claimed', t.lexp, t.id)
    redis.call('ZADD', P .. 'held:' .. t.holder, t.token, t.id)
  end
end
redis.call('SET', P .. 'taskseq', tasks)

for _ = 1, count() do
  local g = nextRecord()
  redis.call('HSET', P .. 'terms', g.group, g.term)
  if g.leader then
    redis.call('HSET', P .. 'leader:' .. g.group, 'group', g.group, 'leader', g.leader, 'term', g.term,
      'exp', g.exp)
    redis.call('ZADD', P .. 'leading', g.exp, g.group)
  end
end

local entries = count()
for seq = 1, entries do
  local e, list = nextRecord()
  local id = e.ns .. '.' .. e.key
  redis.call('HSET', P .. 'mem:' .. id, unpack(list))
  redis.call('ZADD', P .. 'mem', seq, id)
  if e.exp then
    redis.call('ZADD', P .. 'memexp', e.exp, id)
  end
end
redis.call('SET', P .. 'memseq', entries)

local retired = count()
for seq = 1, retired do
  local r = nextRecord()
  redis.call('HSET', P .. 'tomb', r.id, r.v)
  redis.call('ZADD', P .. 'tombs', seq, r.id)
end
redis.call('SET', P .. 'tombseq', retired)

redis.call('SET', P .. 'rev', ARGV[2])
redis.call('SET', P .. 'token', ARGV[3])
redis.call('SET', P .. 'memfloor', ARGV[4])
return {tonumber(ARGV[2]), changes}
