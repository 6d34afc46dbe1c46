#!/bin/bash
# alternating before/after runs of colony bench --redis --scenario redis-tasks / redis-tasks-batched (ADR 0072);
# Redis's FCALL time is reset before and read after each run (INFO commandstats: Colony's functions only, the
# redis-benchmark baseline runs EVAL)
. /work/wt/rtask22/scripts/java-env.sh
OUT=${OUT:-/tmp/rtask22/ab}; mkdir -p $OUT
run() { # name jar scenario round
  redis-cli -p 6572 config resetstat >/dev/null
  echo "== $1 $4 start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  COLONY_JAR=$2 timeout 900 /work/wt/rtask22/colony bench --redis redis://127.0.0.1:6572/ab --scenario $3 --json $OUT/$1-$4.json 2>&1 | grep -E "iteration|verified|^$3 "
  echo "== $1 $4 end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  redis-cli -p 6572 info commandstats | grep -E "cmdstat_(fcall|publish|eval):"
}
for round in 1 2; do
  run before /tmp/rtask22/before.jar redis-tasks $round
  run after /tmp/rtask22/after2.jar redis-tasks $round
  run batched /tmp/rtask22/after2.jar redis-tasks-batched $round
done
