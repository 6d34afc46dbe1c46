-- ARGV: now, namespace, key, value, ttl ms ('' for none), fence group ('' for none), fence term,
--       mode ('put' or 'cas'), expected version (cas: 0 means absent).
-- A lapsed entry is announced expired first. The new version is the live entry's plus one, else the
-- retired key's last version plus one, else the floor plus one.
-- Result: put: the entry's fields, or 0 if the fence is stale;
--         cas: OK, VERSION_MISMATCH or STALE_TERM.
local ns, key, mode = ARGV[2], ARGV[3], ARGV[8]
if not fenceHolds(ARGV[6], ARGV[7]) then
  if mode == 'cas' then
    return {'STALE_TERM', changes}
  end
  return {0, changes}
end
local id = ns .. '.' .. key
local k = P .. 'mem:' .. id
local previous = liveVersion(id)
if mode == 'cas' and (previous or 0) ~= tonumber(ARGV[9]) then
  return {'VERSION_MISMATCH', changes}
end
local version
if previous then
  version = previous + 1
else
  local buried = redis.call('HGET', P .. 'tomb', id)
  if buried then
    redis.call('HDEL', P .. 'tomb', id)
    redis.call('ZREM', P .. 'tombs', id)
    version = tonumber(buried) + 1
  else
    version = tonumber(redis.call('GET', P .. 'memfloor') or '0') + 1
  end
  redis.call('ZADD', P .. 'mem', redis.call('INCR', P .. 'memseq'), id)
end
redis.call('HSET', k, 'ns', ns, 'key', key, 'val', ARGV[4], 'v', int(version))
if ARGV[5] ~= '' then
  local expires = int(NOW + tonumber(ARGV[5]))
  redis.call('HSET', k, 'exp', expires)
  redis.call('ZADD', P .. 'memexp', expires, id)
else
  redis.call('HDEL', k, 'exp')
  redis.call('ZREM', P .. 'memexp', id)
end
local fields = redis.call('HGETALL', k)
record('colony.memory.' .. id, 'put', 'memory', fields)
if mode == 'cas' then
  return {'OK', changes}
end
return {fields, changes}
