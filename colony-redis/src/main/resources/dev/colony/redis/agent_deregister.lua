-- ARGV: now, agent id. Result: 1, or 0 if it was not registered. Releases the agent's leases.
local id = ARGV[2]
local k = P .. 'agent:' .. id
local fields = redis.call('HGETALL', k)
if #fields == 0 then
  return {0, changes}
end
redis.call('DEL', k, P .. 'alive:' .. id)
redis.call('ZREM', P .. 'agents', id)
redis.call('ZREM', P .. 'beats', id)
record('colony.agent.' .. id .. '.deregistered', 'deregistered', 'agent', fields)
releaseLeasesOf(id, 'agent ' .. id .. ' deregistered')
return {1, changes}
