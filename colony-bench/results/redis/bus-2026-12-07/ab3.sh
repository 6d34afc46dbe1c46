#!/usr/bin/env bash
# alternating before/after runs of redis-bus, both JVMs with JFR's CPU-time sampler (one sample per 1 ms of a thread's CPU)
. /work/wt/rbus22/scripts/java-env.sh
J='jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms'
for round in 4 5; do
  if [ $((round % 2)) -eq 1 ]; then order="before kept"; else order="kept before"; fi
  for mode in $order; do
    tag=cpu-$round-$mode
    echo "== round $round $mode start $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    COLONY_BENCH_NODE_B_JVM_OPTIONS="-XX:StartFlightRecording:$J,filename=/tmp/rbus22/$tag-b.jfr -Xlog:disable" \
    $JAVA_HOME/bin/java -XX:+UseParallelGC "-XX:StartFlightRecording:$J,filename=/tmp/rbus22/$tag-a.jfr" -Xlog:disable \
      -jar /tmp/rbus22-$mode.jar bench --redis redis://127.0.0.1:6622/ab \
      --scenario redis-bus --json /tmp/rbus22/$tag.json > /tmp/rbus22/$tag.out 2>&1
    python3 -c "
import json;d=json.load(open('/tmp/rbus22/$tag.json'))['scenarios'][0]
print('  ', '$mode', round(d['throughput_per_sec']), [round(x) for x in d['per_iteration']['throughput_per_sec']], 'base', round(d['baseline']['throughput_per_sec']), 'ratio', d['baseline']['ratio'], 'verified', d['verified'], 'dup', d['details']['duplicates'])"
    echo "   end $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
