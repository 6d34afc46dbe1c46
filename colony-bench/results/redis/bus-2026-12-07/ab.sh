#!/usr/bin/env bash
# alternating before/after runs of the redis-bus scenario on one redis-server (port 6622)
. /work/wt/rbus22/scripts/java-env.sh
for round in 1 2 3 4; do
  if [ $((round % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
  for mode in $order; do
    echo "== round $round $mode start $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    $JAVA_HOME/bin/java -XX:+UseParallelGC -jar /tmp/rbus22-$mode.jar bench --redis redis://127.0.0.1:6622/ab \
      --scenario redis-bus --json /tmp/rbus22/ab-$round-$mode.json > /tmp/rbus22/ab-$round-$mode.out 2>&1
    python3 -c "
import json;d=json.load(open('/tmp/rbus22/ab-$round-$mode.json'))['scenarios'][0]
print('  ', '$mode', round(d['throughput_per_sec']), [round(x) for x in d['per_iteration']['throughput_per_sec']], 'base', round(d['baseline']['throughput_per_sec']), 'ratio', d['baseline']['ratio'], 'verified', d['verified'], 'dup', d['details']['duplicates'])"
    echo "   end $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
