-- ARGV: now, what ('status' or 'held'), a status (QUEUED, CLAIMED, COMPLETED, DEAD, CANCELLED) or an
-- agent id. Reads only. Result: the fields of every task in that status (submission order), or of every
-- task the agent holds (claim order; lapsed leases not yet expired included: the caller filters them).
local index
if ARGV[2] == 'status' then
  index = P .. 'st:' .. ARGV[3]
else
  index = P .. 'held:' .. ARGV[3]
end
local out = {}
for _, id in ipairs(redis.call('ZRANGE', index, 0, -1)) do
  out[#out + 1] = redis.call('HGETALL', taskKey(id))
end
return {out, changes}
