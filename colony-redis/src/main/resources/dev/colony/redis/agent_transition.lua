-- ARGV: now, agent id, new status. Result: the agent's fields.
-- Errors: COLONY_NOTFOUND if not registered, COLONY_STATE if the move is not allowed.
local NEXT = {
  STARTING = {'IDLE', 'STOPPING', 'FAILED'},
  IDLE = {'BUSY', 'STOPPING', 'FAILED'},
  BUSY = {'IDLE', 'STOPPING', 'FAILED'},
  STOPPING = {'STOPPED', 'FAILED'},
  STOPPED = {},
  FAILED = {},
}
local id, to = ARGV[2], ARGV[3]
local k = P .. 'agent:' .. id
local from = redis.call('HGET', k, 'status')
if not from then
  return redis.error_reply('COLONY_NOTFOUND agent "' .. id .. '" is not registered')
end
local allowed = NEXT[from]
if allowed == nil then
  return corrupt(k, 'unknown status "' .. from .. '"')
end
local ok = false
for _, s in ipairs(allowed) do
  if s == to then
    ok = true
  end
end
if not ok then
  return redis.error_reply('COLONY_STATE agent "' .. id .. '" cannot move from ' .. from .. ' to ' .. to
    .. '; allowed: [' .. table.concat(allowed, ', ') .. ']')
end
redis.call('HSET', k, 'status', to)
local name = 'status'
if to == 'FAILED' then
  name = 'failed'
end
local fields = redis.call('HGETALL', k)
record('colony.agent.' .. id .. '.' .. name, name, 'agent', fields)
if to == 'STOPPED' or to == 'FAILED' then
  redis.call('ZREM', P .. 'beats', id)
  redis.call('DEL', P .. 'alive:' .. id)
  releaseLeasesOf(id, 'agent ' .. id .. ' is ' .. to)
end
return {fields, changes}
