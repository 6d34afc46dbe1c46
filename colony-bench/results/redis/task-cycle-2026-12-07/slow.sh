#!/usr/bin/env bash
# Redis time per FCALL of each task function (SLOWLOG at threshold 0), before and after, alternating, one measured iteration each.
cd /work/wt/redis22c
for round in 1 2; do
  for v in before after; do
    redis-cli -p 6522 CONFIG SET slowlog-log-slower-than 0 >/dev/null
    redis-cli -p 6522 CONFIG SET slowlog-max-len 200000 >/dev/null
    redis-cli -p 6522 SLOWLOG RESET >/dev/null
    echo "=== $v round $round $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    COLONY_JAR=/tmp/r22c/$v.jar ./colony bench --redis redis://127.0.0.1:6522/x --scenario redis-tasks --warmup 1 --iterations 1 2>&1 | grep -E "verified"
    redis-cli -p 6522 CONFIG SET slowlog-log-slower-than 1000000 >/dev/null
    /usr/bin/python3 /tmp/r22c/slowparse.py
  done
done
redis-cli -p 6522 CONFIG SET slowlog-log-slower-than 10000 >/dev/null
