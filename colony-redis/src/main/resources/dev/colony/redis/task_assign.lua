-- ARGV: now, strategy (LEAST_LOADED, ROUND_ROBIN, CAPABILITY_MATCH or PRIORITY), lease ms,
--       fence group ('' for none), fence term.
-- Leader-driven assignment: claims the highest-priority claimable task for the agent the strategy picks
-- among the IDLE or BUSY agents (in registration order) that have the task's capabilities.
-- Result: the claimed task's fields, or 0 (no task, no eligible agent, or a stale fence).
local strategy, leaseMs = ARGV[2], tonumber(ARGV[3])
if not fenceHolds(ARGV[4], ARGV[5]) then
  return {0, changes}
end
catchUp()
local working = {}
for _, id in ipairs(redis.call('ZRANGE', P .. 'agents', 0, -1)) do
  local a = redis.call('HMGET', P .. 'agent:' .. id, 'status', 'caps')
  if a[1] == 'IDLE' or a[1] == 'BUSY' then
    local set, n = {}, 0
    for _, c in ipairs(split(a[2])) do
      set[c] = true
      n = n + 1
    end
    working[#working + 1] = {id = id, caps = set, count = n}
  end
end
if #working == 0 then
  return {0, changes}
end
local heads = {}
for _, caps in ipairs(redis.call('SMEMBERS', P .. 'groups')) do
  local head = redis.call('ZRANGE', P .. 'ready:' .. caps, 0, 0, 'WITHSCORES')
  if head[1] then
    heads[#heads + 1] = {id = head[1], caps = caps, score = tonumber(head[2])}
  end
end
table.sort(heads, function(a, b) return a.score < b.score end)

local function eligible(agent, required)
  for _, c in ipairs(required) do
    if not agent.caps[c] then
      return false
    end
  end
  return true
end

local STRATEGIES = {PRIORITY = true, LEAST_LOADED = true, CAPABILITY_MATCH = true, ROUND_ROBIN = true}
if not STRATEGIES[strategy] then
  return redis.error_reply('COLONY_ARG unknown assignment strategy ' .. tostring(strategy))
end

local function choose(required)
  if strategy == 'PRIORITY' then
    for _, agent in ipairs(working) do
      if eligible(agent, required) then
        return agent.id
      end
    end
  elseif strategy == 'LEAST_LOADED' then
    local best, bestCount
    for _, agent in ipairs(working) do
      if eligible(agent, required) then
        local count = redis.call('ZCARD', P .. 'held:' .. agent.id)
        if best == nil or count < bestCount then
          best, bestCount = agent.id, count
        end
      end
    end
    return best
  elseif strategy == 'CAPABILITY_MATCH' then
    local best, bestExtra
    for _, agent in ipairs(working) do
      if eligible(agent, required) then
        local extra = agent.count - #required
        if best == nil or extra < bestExtra then
          best, bestExtra = agent.id, extra
        end
      end
    end
    return best
  elseif strategy == 'ROUND_ROBIN' then
    local last = redis.call('GET', P .. 'rr')
    local start = 1
    for i, agent in ipairs(working) do
      if agent.id == last then
        start = i + 1
        break
      end
    end
    for k = 0, #working - 1 do
      local agent = working[((start - 1 + k) % #working) + 1]
      if eligible(agent, required) then
        redis.call('SET', P .. 'rr', agent.id)
        return agent.id
      end
    end
  end
  return nil
end

for _, head in ipairs(heads) do
  local agent = choose(split(head.caps))
  if agent then
    return {claimTask(head.id, head.caps, agent, leaseMs), changes}
  end
end
return {0, changes}
