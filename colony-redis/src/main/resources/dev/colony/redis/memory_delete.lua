-- ARGV: now, namespace, key. Result: 1 if a live entry was deleted (its version retired), 0 otherwise.
local id = ARGV[2] .. '.' .. ARGV[3]
if not liveVersion(id) then
  return {0, changes}
end
record('colony.memory.' .. id, 'deleted', 'memory', removeEntry(id))
return {1, changes}
