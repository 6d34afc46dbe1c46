-- ARGV: now, agent id, role, capabilities (sorted, comma-joined), metadata (JSON object),
--       heartbeat timeout ms. Result: the agent's fields. Error COLONY_STATE if registered already.
local id = ARGV[2]
local k = P .. 'agent:' .. id
local status = redis.call('HGET', k, 'status')
if status then
  return redis.error_reply('COLONY_STATE agent "' .. id .. '" is registered already (status ' .. status .. ')')
end
local seq = redis.call('INCR', P .. 'agentseq')
redis.call('HSET', k, 'id', id, 'role', ARGV[3], 'caps', ARGV[4], 'meta', ARGV[5], 'status', 'STARTING',
  'reg', ARGV[1], 'hb', ARGV[1], 'seq', seq)
redis.call('ZADD', P .. 'agents', seq, id)
redis.call('ZADD', P .. 'beats', ARGV[1], id)
advisory(P .. 'alive:' .. id, ARGV[1], tonumber(ARGV[6]))
local fields = redis.call('HGETALL', k)
record('colony.agent.' .. id .. '.registered', 'registered', 'agent', fields)
return {fields, changes}
