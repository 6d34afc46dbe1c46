#!/bin/bash
# one run of $1 (before|after) with Redis's commandstats and CPU, and node B's (child JVM) CPU time in ticks (1/100 s)
. /work/wt/rmsg22/scripts/java-env.sh
v=$1; tag=$2
redis-cli -p 6548 config resetstat >/dev/null
c0=$(redis-cli -p 6548 info cpu | grep -E "^used_cpu_(user|sys):" | cut -d: -f2 | tr -d '\r' | paste -sd+ | bc)
echo "== $v $tag start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
COLONY_JAR=/tmp/rmsg22/$v.jar timeout 900 /work/wt/rmsg22/colony bench --redis redis://127.0.0.1:6548/ab --scenario redis-messenger --json /tmp/rmsg22/runs/msg-$v-$tag.json > /tmp/rmsg22/runs/out-$v-$tag.txt 2>&1 &
top=$!
rm -f /tmp/rmsg22/bcpu.$tag
while kill -0 $top 2>/dev/null; do
  for j in $(pgrep -P $top) $(pgrep -P $(pgrep -P $top | head -1) 2>/dev/null); do
    for b in $(pgrep -P $j -f NodeBMain); do awk '{print $14+$15}' /proc/$b/stat 2>/dev/null > /tmp/rmsg22/bcpu.$tag.tmp && mv /tmp/rmsg22/bcpu.$tag.tmp /tmp/rmsg22/bcpu.$tag; done
  done
  sleep 0.2
done
grep -E "iteration|redis-messenger +[0-9]" /tmp/rmsg22/runs/out-$v-$tag.txt
c1=$(redis-cli -p 6548 info cpu | grep -E "^used_cpu_(user|sys):" | cut -d: -f2 | tr -d '\r' | paste -sd+ | bc)
echo "redis cpu s: $(echo "$c1 - $c0" | bc)  nodeB cpu ticks: $(cat /tmp/rmsg22/bcpu.$tag 2>/dev/null)"
redis-cli -p 6548 info commandstats | grep -E "xreadgroup|evalsha|xadd|xack|xdel" | cut -d, -f1-3
echo "== $v $tag end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
