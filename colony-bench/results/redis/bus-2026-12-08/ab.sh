#!/usr/bin/env bash
# ADR 0075: alternating before/after runs of redis-bus (node B in a child JVM), both JVMs with JFR's CPU-time
# sampler (one sample per 1 ms of a thread's CPU); PUBLISH calls counted by INFO commandstats around each run.
# usage: ab.sh ROUND... (odd rounds: before first; even: after first). Jars: /tmp/bus23-before.jar, /tmp/bus23-after.jar
. /work/wt/bus23/scripts/java-env.sh
J='jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms'
OUT=/tmp/bus23
for round in "$@"; do
  if [ $((round % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
  for mode in $order; do
    tag=cpu-$round-$mode
    redis-cli -p 6623 CONFIG RESETSTAT > /dev/null
    echo "== round $round $mode start $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    COLONY_BENCH_NODE_B_JVM_OPTIONS="-XX:StartFlightRecording:$J,filename=$OUT/$tag-b.jfr -Xlog:disable" \
    $JAVA_HOME/bin/java -XX:+UseParallelGC "-XX:StartFlightRecording:$J,filename=$OUT/$tag-a.jfr" -Xlog:disable \
      -jar /tmp/bus23-$mode.jar bench --redis redis://127.0.0.1:6623/ab \
      --scenario redis-bus --json $OUT/$tag.json > $OUT/$tag.out 2>&1
    pub=$(redis-cli -p 6623 INFO commandstats | sed -n 's/^cmdstat_publish:calls=\([0-9]*\),.*/\1/p')
    python3 -c "
import json;d=json.load(open('$OUT/$tag.json'))['scenarios'][0]
print('  ', '$mode', round(d['throughput_per_sec']), [round(x) for x in d['per_iteration']['throughput_per_sec']], 'base', round(d['baseline']['throughput_per_sec']), 'ratio', d['baseline']['ratio'], 'verified', d['verified'], 'dup', d['details']['duplicates'], 'PUBLISH calls (incl. redis-benchmark)', '$pub')"
    echo "   end $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
