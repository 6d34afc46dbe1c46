#!/bin/bash
# ADR 0076: alternating before/after runs of `colony bench --redis --scenario <s>` (redis-tasks, redis-tasks-batched).
# Per run: Redis's INFO commandstats reset before and read after (calls of every command, those run inside the
# functions included; the redis-benchmark baseline's EVAL, LPUSH and RPOP left out), Redis's CPU (INFO cpu user+sys,
# baseline included), and the CPU of node A (the bench's JVM) and node B (its child JVM) read from /proc every 0.5 s
# (start-up, JIT, failovers and the baseline's orchestration included). One JSON line per run in $OUT/runs.jsonl.
# Usage: ab.sh ROUNDS SCENARIO...   (env: PORT, BEFORE, AFTER jars, OUT; ONLY, NAME, SUFFIX for watched.sh)
. /work/wt/task23/scripts/java-env.sh
PORT=${PORT:-6576}; OUT=${OUT:-/tmp/task23/ab}; mkdir -p $OUT
BEFORE=${BEFORE:-/tmp/task23/before.jar}; AFTER=${AFTER:-/tmp/task23/after.jar}
TCK=$(getconf CLK_TCK)
ROUNDS=$1; shift
ticks() { [ -r /proc/$1/stat ] && awk '{print $14+$15}' /proc/$1/stat; }
rcpu() { redis-cli -p $PORT info cpu | awk -F: '/^used_cpu_(user|sys):/ {s+=$2} END {printf "%.3f", s}'; }
run() { # name jar scenario round
  local name=$1 jar=$2 scen=$3 round=$4 tag=$1-$3-$4
  redis-cli -p $PORT config resetstat >/dev/null
  local c0=$(rcpu) l0=$(cut -d' ' -f1 /proc/loadavg) t0=$(date -u +%H:%M:%S)
  COLONY_JAR=$jar timeout 900 /work/wt/task23/colony bench --redis redis://127.0.0.1:$PORT/ab --scenario $scen \
    --json $OUT/$tag.json > $OUT/$tag.log 2>&1 &
  local pid=$! a="" b="" ta=0 tb=0 t
  while kill -0 $pid 2>/dev/null; do
    [ -z "$a" ] && a=$(pgrep -f -- "-jar $jar bench" | head -1)
    [ -z "$b" ] && b=$(pgrep -f -- "-cp $jar" | head -1)
    [ -n "$a" ] && t=$(ticks $a) && ta=$t
    [ -n "$b" ] && t=$(ticks $b) && tb=$t
    sleep 0.5
  done
  local c1=$(rcpu) l1=$(cut -d' ' -f1 /proc/loadavg)
  redis-cli -p $PORT info commandstats > $OUT/$tag.stats
  python3 - "$OUT/$tag" "$name" "$scen" "$round" "$t0" "$l0" "$l1" "$c0" "$c1" "$ta" "$tb" "$TCK" <<'PY' | tee -a $OUT/runs.jsonl
import json, re, sys
base, name, scen, rnd, t0, l0, l1, c0, c1, ta, tb, tck = sys.argv[1:]
stats = {}
for line in open(base + '.stats'):
    m = re.match(r'cmdstat_(\w+):calls=(\d+),usec=(\d+)', line)
    if m:
        stats[m.group(1)] = (int(m.group(2)), int(m.group(3)))
colony = {k: v for k, v in stats.items() if k not in ('eval', 'lpush', 'rpop', 'config', 'info')}
r = json.load(open(base + '.json'))
s = [x for x in r['scenarios'] if x['name'] == scen][0] if 'scenarios' in r else r
def find(d, key):
    if isinstance(d, dict):
        if key in d: return d[key]
        for v in d.values():
            f = find(v, key)
            if f is not None: return f
    if isinstance(d, list):
        for v in d:
            f = find(v, key)
            if f is not None: return f
    return None
tasks = 20000
out = {'run': name, 'scenario': scen, 'round': int(rnd), 'start_utc': t0, 'load_start': float(l0), 'load_end': float(l1),
       'cycles_per_s': s.get('throughput_per_sec'),
       'p50_ms': round(s['latency_us']['p50'] / 1000, 2),
       'verified': '%d/%d' % (s['verified']['observed'], s['verified']['expected']),
       'completed_twice': s['details'].get('completed_twice'),
       'redis_commands_per_cycle': round(sum(v[0] for v in colony.values()) / tasks, 2),
       'fcall_per_cycle': round(stats.get('fcall', (0, 0))[0] / tasks, 3),
       'publish_per_cycle': round(stats.get('publish', (0, 0))[0] / tasks, 3),
       'blpop_per_cycle': round(stats.get('blpop', (0, 0))[0] / tasks, 3),
       'hgetall_per_cycle': round(stats.get('hgetall', (0, 0))[0] / tasks, 3),
       'fcall_usec_per_call': round(stats.get('fcall', (0, 1))[1] / max(1, stats.get('fcall', (1, 1))[0]), 1),
       'redis_cpu_us_per_cycle_with_baseline': round((float(c1) - float(c0)) * 1e6 / tasks, 1),
       'node_a_cpu_s': round(int(ta) / int(tck), 2), 'node_b_cpu_s': round(int(tb) / int(tck), 2)}
print(json.dumps(out))
PY
}
for round in $(seq 1 $ROUNDS); do
  for scen in "$@"; do
    if [ -n "$ONLY" ]; then  # one jar only (watched.sh): ONLY=after NAME=<run name>
      [ "$ONLY" = before ] && run ${NAME:-before} $BEFORE $scen $round$SUFFIX || run ${NAME:-after} $AFTER $scen $round$SUFFIX
      continue
    fi
    run before $BEFORE $scen $round
    run after $AFTER $scen $round
  done
done
