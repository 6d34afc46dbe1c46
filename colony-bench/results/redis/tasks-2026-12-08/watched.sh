#!/bin/bash
# ADR 0076: the after jar with and without a task watcher, alternated, to isolate what skipping unwatched task
# announcements saves. "watched" runs with a helper that writes the task watch of the run's swarm (found by SCAN
# for its layout key every 50 ms until it appears, the keyspace being empty between runs; then entry "probe", score
# and TTL an hour ahead, rewritten every 5 s), as a node subscribed to colony.task.> on a third process would. (A
# first version scanned the whole keyspace every 0.2 s during the run, which loaded the watched runs only: its
# figures are watched-scan-helper-not-kept.jsonl.) Same per-run figures as ab.sh, in $OUT/runs.jsonl.
# Usage: watched.sh ROUNDS SCENARIO...
DIR=$(cd "$(dirname "$0")" && pwd)
PORT=${PORT:-6576}; OUT=${OUT:-/tmp/task23/watched}; mkdir -p $OUT
watch_all() { # finds the run's swarm by its layout key (the keyspace is empty between runs), then keeps its watch
  local layout=""
  while [ -z "$layout" ]; do
    layout=$(redis-cli -p $PORT --scan --pattern 'colony:{*}:layout' | head -1)
    [ -z "$layout" ] && sleep 0.05
  done
  local w="${layout%layout}taskwatch"
  while true; do
    redis-cli -p $PORT zadd "$w" $(( $(date +%s%3N) + 3600000 )) probe >/dev/null
    redis-cli -p $PORT pexpire "$w" 3600000 >/dev/null
    sleep 5
  done
}
ROUNDS=$1; shift
for round in $(seq 1 $ROUNDS); do
  for scen in "$@"; do
    OUT=$OUT ONLY="after" NAME=unwatched SUFFIX=$round bash $DIR/ab.sh 1 $scen
    watch_all & W=$!
    OUT=$OUT ONLY="after" NAME=watched SUFFIX=$round bash $DIR/ab.sh 1 $scen
    kill $W
  done
done
