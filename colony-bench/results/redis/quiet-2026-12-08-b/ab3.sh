#!/bin/bash
# quiet-machine A/B, 2026-12-08 session 2: before = 1fa85da (start of session), after = main with bus23, msg23, task23 (ADRs 0075-0077)
cd /work/main; . scripts/java-env.sh
OUT=/tmp/ab/out3; mkdir -p $OUT
run() { # name jar scenario round
  echo "== $1 $3 $4 start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  COLONY_JAR=$2 timeout 900 ./colony bench --redis redis://127.0.0.1:6590/ab --scenario $3 --warmup 3 --iterations 8 --json $OUT/$1-$3-$4.json 2>&1 | grep -E "verified|^ *$3|msgs/s|cycles/s|events/s" | head -8
  echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
}
for round in 1 2; do
  for s in redis-bus redis-messenger redis-tasks redis-tasks-batched; do
    run before /tmp/jars/before.jar $s $round
    run after /tmp/jars/after.jar $s $round
  done
done
