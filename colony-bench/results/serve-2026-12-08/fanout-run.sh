#!/bin/bash
# run.sh <before|after> [readers] [extra jvm args...] : one FanOutBench 1000 1000 5 run, prints load and result
. /work/wt/sse23/scripts/java-env.sh
V=$1; R=${2:-child}; shift; shift
HDR=/root/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar
TC=/work/wt/sse23/colony-server/target/test-classes
if [ "$V" = before ]; then SC=/tmp/sse23-before/server-classes; elif [ "$V" = after2 ]; then SC=/tmp/sse23-after2/server-classes; else SC=/tmp/sse23-after/server-classes; fi
CP="$SC:$TC:/tmp/sse23-before/colony.jar:$HDR"
echo "== $V $R $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g "$@" -cp "$CP" dev.colony.server.FanOutBench 1000 1000 5 $R > /tmp/sse23-last.out 2>&1; grep "fan-out" /tmp/sse23-last.out; grep -i -A3 "exception" /tmp/sse23-last.out | head -8
echo "   end load: $(cut -d' ' -f1-3 /proc/loadavg)"
