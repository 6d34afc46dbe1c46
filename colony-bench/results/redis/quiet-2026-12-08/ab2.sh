#!/bin/bash
# quiet-machine A/B: before = d752018 (start of session), after = main with order22, rmsg22, cluster22, rtask22
cd /work/main; . scripts/java-env.sh
OUT=/tmp/ab/out; mkdir -p $OUT
run() { # name jar scenario round
  echo "== $1 $3 $4 start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  COLONY_JAR=$2 timeout 900 ./colony bench --redis redis://127.0.0.1:6590/ab --scenario $3 --warmup 3 --iterations 8 --json $OUT/long-$1-$3-$4.json 2>&1 | grep -E "verified|^ *$3|msgs/s|cycles/s|events/s" | head -8
  echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
}
for round in 1 2; do
  run before /tmp/ab/before.jar redis-messenger $round
  run after /tmp/ab/after.jar redis-messenger $round
  run before /tmp/ab/before.jar redis-tasks $round
  run after /tmp/ab/after.jar redis-tasks $round
  run after /tmp/ab/after.jar redis-tasks-batched $round
done
