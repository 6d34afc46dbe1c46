-- ARGV: now. Reads the whole state at one revision. Result: {revision, last lease token, memory version
-- floor, agents, tasks, groups, memory, retired}: agents (registration order), tasks (submission order)
-- and memory entries (key creation order) as their fields; groups as {group, latest term, leadership
-- fields or empty}; retired keys (retirement order) as {namespace.key, last version}.
local function all(index, prefix)
  local out = {}
  for _, id in ipairs(redis.call('ZRANGE', P .. index, 0, -1)) do
    out[#out + 1] = redis.call('HGETALL', P .. prefix .. id)
  end
  return out
end
local groups = {}
local terms = redis.call('HGETALL', P .. 'terms')
for i = 1, #terms, 2 do
  groups[#groups + 1] = {terms[i], terms[i + 1], redis.call('HGETALL', P .. 'leader:' .. terms[i])}
end
local retired = {}
for _, id in ipairs(redis.call('ZRANGE', P .. 'tombs', 0, -1)) do
  retired[#retired + 1] = {id, redis.call('HGET', P .. 'tomb', id)}
end
local result = {
  redis.call('GET', P .. 'rev') or '0',
  redis.call('GET', P .. 'token') or '0',
  redis.call('GET', P .. 'memfloor') or '0',
  all('agents', 'agent:'),
  all('tasks', 'task:'),
  groups,
  all('mem', 'mem:'),
  retired,
}
return {result, changes}
