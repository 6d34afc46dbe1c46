#!/bin/bash
# CPU seconds of node A (the bench's JVM) and node B (its child JVM) over a whole bench run, read from /proc every
# 0.5 s (the last reading before each exits), for redis-tasks and redis-tasks-batched alternated (ADR 0072).
# Includes each JVM's start-up, JIT, the failovers and (A) the redis-benchmark baseline's orchestration.
. /work/wt/rtask22/scripts/java-env.sh
JAR=${JAR:-/tmp/rtask22/after2.jar}; TCK=$(getconf CLK_TCK)
ticks() { [ -r /proc/$1/stat ] && awk '{print $14+$15}' /proc/$1/stat; }
run() { # scenario round
  echo "== $1 $2 start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  COLONY_JAR=$JAR /work/wt/rtask22/colony bench --redis redis://127.0.0.1:6572/ab --scenario $1 --json /tmp/rtask22/jvmcpu-$1-$2.json > /tmp/rtask22/jvmcpu-$1-$2.log 2>&1 &
  local a="" b="" ta=0 tb=0
  while kill -0 $! 2>/dev/null; do
    [ -z "$a" ] && a=$(pgrep -f -- "-jar $JAR bench" | head -1)
    [ -z "$b" ] && b=$(pgrep -f -- "-cp $JAR" | head -1)
    [ -n "$a" ] && t=$(ticks $a) && ta=$t
    [ -n "$b" ] && t=$(ticks $b) && tb=$t
    sleep 0.5
  done
  grep -E "^\[1/1\]" /tmp/rtask22/jvmcpu-$1-$2.log
  echo "== $1 $2 end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) cpu s: A $(echo "scale=2; $ta/$TCK" | bc) B $(echo "scale=2; $tb/$TCK" | bc) (20000 tasks)"
}
for round in 1 2; do run redis-tasks $round; run redis-tasks-batched $round; done
