-- ARGV: now. Reads only. Result: the fields of every registered agent, in registration order.
local out = {}
for _, id in ipairs(redis.call('ZRANGE', P .. 'agents', 0, -1)) do
  out[#out + 1] = redis.call('HGETALL', P .. 'agent:' .. id)
end
return {out, changes}
