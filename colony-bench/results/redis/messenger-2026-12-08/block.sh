#!/bin/bash
# alternating before/after runs of RedisSendBlockBenchmark (one JVM, one sender, sendAsync): capacity 1,000,000 (room)
# usage: ROUNDS="1 2" CAPS="1000000" block.sh   (classes compiled per jar into /tmp/msg23/bc-<version>)
. /work/wt/msg23/scripts/java-env.sh
P=${PORT:-6723}
for round in ${ROUNDS:-1 2}; do for cap in ${CAPS:-1000000}; do for v in before after; do
  redis-cli -p $P config resetstat >/dev/null
  echo "== $v cap $cap round $round start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  timeout 600 $JAVA_HOME/bin/java -XX:+UseParallelGC -cp /tmp/msg23/$v.jar:/tmp/msg23/bc-$v dev.colony.redis.RedisSendBlockBenchmark $P ${MESSAGES:-20000} $cap 2>&1 | grep '^{' | sed "s/^{/{\"version\":\"$v\",\"round\":$round,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"evalsha\":\"$(redis-cli -p $P info commandstats | grep -E '^cmdstat_evalsha' | sed 's/.*calls=\([0-9]*\),usec=\([0-9]*\).*/\1 calls \2 us/')\",/"
done; done; done
