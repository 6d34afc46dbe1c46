#!/bin/bash
# alternating before/after runs of colony bench --redis --scenario redis-messenger (ADR 0070)
. /work/wt/order22/scripts/java-env.sh
for round in ${ROUNDS:-1 2}; do for v in ${VERSIONS:-before after}; do
  echo "== $v $round start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  COLONY_JAR=/tmp/order22-$v.jar timeout 900 /work/wt/order22/colony bench --redis redis://127.0.0.1:6622/ab --scenario redis-messenger --json /tmp/order22/msg-$v-$round.json 2>&1 | grep -E "iteration|verified|x base|redis-messenger +[0-9]"
  echo "== $v $round end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
done; done
