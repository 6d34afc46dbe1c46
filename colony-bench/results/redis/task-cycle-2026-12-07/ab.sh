#!/usr/bin/env bash
# Alternating before/after runs of colony bench --redis, redis-tasks, on the redis-server at port 6522.
cd /work/wt/redis22c
for round in 1 2; do
  for v in before after; do
    redis-cli -p 6522 CONFIG RESETSTAT >/dev/null
    echo "=== $v round $round start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    COLONY_JAR=/tmp/r22c/$v.jar ./colony bench --redis redis://127.0.0.1:6522/x --scenario redis-tasks \
      --json /tmp/r22c/ab-$v-$round.json 2>&1 | grep -E "iteration|verified|redis-tasks  |base"
    redis-cli -p 6522 INFO commandstats | grep -E "cmdstat_(fcall|eval|publish):" 
    echo "=== $v round $round end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
