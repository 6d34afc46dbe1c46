#!/bin/bash
# alternating before/after runs of colony bench --redis --scenario $SCEN; $1 = label prefix
. /work/wt/redis22d/scripts/java-env.sh
SCEN=${SCEN:-redis-tasks}
for round in 1 2; do for v in $VERSIONS; do
  echo "== $v $round start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  COLONY_JAR=/tmp/r22d/$v.jar timeout 900 /work/wt/redis22d/colony bench --redis redis://127.0.0.1:6531/ab --scenario $SCEN --json /tmp/r22d/$1-$v-$round.json 2>&1 | grep -E "iteration|verified|x base|redis-(tasks|messenger) +[0-9]" 
  echo "== $v $round end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
done; done
