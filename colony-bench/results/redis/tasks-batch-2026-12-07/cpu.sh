#!/bin/bash
# redis-server CPU seconds (INFO cpu, user+sys) over one bench run each, alternated: Redis's CPU per task cycle,
# which the machine's load disturbs much less than wall-clock figures (ADR 0072)
. /work/wt/rtask22/scripts/java-env.sh
OUT=${OUT:-/tmp/rtask22/cpu}; mkdir -p $OUT
cpu() { redis-cli -p 6572 info cpu | awk -F: '/^used_cpu_(user|sys):/ {s+=$2} END {printf "%.3f", s}'; }
run() { # name jar scenario round
  local c0=$(cpu)
  echo "== $1 $4 start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  COLONY_JAR=$2 timeout 900 /work/wt/rtask22/colony bench --redis redis://127.0.0.1:6572/ab --scenario $3 --json $OUT/$1-$4.json 2>&1 | grep -E "^\[1/1\]"
  local c1=$(cpu)
  echo "== $1 $4 end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) redis cpu s $(echo "$c1 - $c0" | bc) for 20000 tasks + baseline"
}
for round in 1 2; do
  run ${A_NAME:-single} ${A_JAR:-/tmp/rtask22/after2.jar} ${A_SCEN:-redis-tasks} $round
  run ${B_NAME:-batched} ${B_JAR:-/tmp/rtask22/after2.jar} ${B_SCEN:-redis-tasks-batched} $round
done
