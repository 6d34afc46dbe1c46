-- ARGV: now, task id, lease token, result, fence group ('' for none), fence term.
-- Result: OK (COMPLETED with the result), STALE_TERM, STALE_LEASE or NOT_CLAIMED.
if not fenceHolds(ARGV[5], ARGV[6]) then
  return {'STALE_TERM', changes}
end
return {completeLease(ARGV[2], ARGV[3], ARGV[4]), changes}
