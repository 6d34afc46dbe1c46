-- ARGV: now, agent id, heartbeat timeout ms. Result: 1, or 0 if the agent is unknown, STOPPED or FAILED.
local id = ARGV[2]
local k = P .. 'agent:' .. id
local status = redis.call('HGET', k, 'status')
if not status or status == 'STOPPED' or status == 'FAILED' then
  return {0, changes}
end
redis.call('HSET', k, 'hb', ARGV[1])
redis.call('ZADD', P .. 'beats', ARGV[1], id)
advisory(P .. 'alive:' .. id, ARGV[1], tonumber(ARGV[3]))
record('colony.agent.' .. id .. '.heartbeat', 'heartbeat', 'agent', redis.call('HGETALL', k))
return {1, changes}
