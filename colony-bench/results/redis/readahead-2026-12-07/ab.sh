#!/bin/bash
# ADR 0071: alternating before/after runs of colony bench --redis --scenario redis-messenger, each through
# stat.sh (Redis commandstats and CPU, node B's CPU). /tmp/rmsg22/before.jar = main at d752018, after.jar = branch
# rmsg22; redis-server 7.0.15 on port 6548 without persistence (--save "" --appendonly no).
for r in 1 2; do for v in before after; do /tmp/rmsg22/stat.sh $v c$r; done; done
