#!/bin/bash
# alternating before/after runs of RedisSendBlockBenchmark (ADR 0070): capacity 4 (full) and 1,000,000 (room)
. /work/wt/order22/scripts/java-env.sh
for round in ${ROUNDS:-1 2}; do for cap in ${CAPS:-1000000 4}; do for v in before after; do
  echo "== $v cap $cap round $round start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout 600 $JAVA_HOME/bin/java -XX:+UseParallelGC -cp /tmp/order22-$v.jar:/tmp/order22/bc dev.colony.redis.RedisSendBlockBenchmark 6622 ${MESSAGES:-20000} $cap 2>&1 | grep '^{' | sed "s/^{/{\"version\":\"$v\",\"round\":$round,/"
done; done; done
