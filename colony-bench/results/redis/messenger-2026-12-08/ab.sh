#!/usr/bin/env bash
# alternating before/after runs of redis-messenger (ADR 0077), both JVMs with JFR's CPU-time sampler
# (one sample per 1 ms of a thread's CPU), Redis INFO commandstats reset before and read after each run.
# usage: ROUNDS="1 2" VERSIONS="before after" PORT=6723 ab.sh
. /work/wt/msg23/scripts/java-env.sh
J='jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms'
P=${PORT:-6723}; O=/tmp/msg23
for round in ${ROUNDS:-1 2}; do for v in ${VERSIONS:-before after}; do
  tag=$v-$round
  redis-cli -p $P config resetstat >/dev/null
  echo "== $tag start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  COLONY_BENCH_NODE_B_JVM_OPTIONS="-XX:FlightRecorderOptions:stackdepth=96 -XX:StartFlightRecording:$J,filename=$O/$tag-b.jfr -Xlog:disable" \
  $JAVA_HOME/bin/java -XX:+UseParallelGC -XX:FlightRecorderOptions:stackdepth=96 "-XX:StartFlightRecording:$J,filename=$O/$tag-a.jfr" -Xlog:disable \
    -jar $O/$v.jar bench --redis redis://127.0.0.1:$P/ab --scenario redis-messenger --json $O/$tag.json > $O/$tag.out 2>&1
  redis-cli -p $P info commandstats | grep -E 'evalsha|fcall|xadd|xreadgroup|xack|evalsha_ro|publish|set:|exists' > $O/$tag.cmd
  echo "   end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 -c "
import json;d=json.load(open('$O/$tag.json'))['scenarios'][0]
print('  ', '$tag', round(d['throughput_per_sec']), [round(x) for x in d['per_iteration']['throughput_per_sec']], 'base', round(d['baseline']['throughput_per_sec']), 'ratio', d['baseline']['ratio'], 'verified', d['verified'], {k:v for k,v in d['details'].items() if 'dup' in k or 'p50' in k})"
done; done
