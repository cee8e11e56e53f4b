#!/usr/bin/env bash
# Where a training step's time goes: runs one case of d2l4j.bench.Compare (e.g. "net googlenet train 2 16")
# under Java Flight Recorder and prints the hottest methods, self and inclusive (bench/scripts/jfr_top.py).
#   bench/scripts/profile.sh "net vgg train 2 16" [seconds timed, default 10] [seconds of warm-up, default 3]
# Build first (mvn -DskipTests package -pl bench -am). JFR samples Java frames only; inlined methods show
# as their own frames, and the Vector API's bounds checks (Objects.checkIndex) stand in for the vector
# loops they sit in, so read the inclusive list for where the time goes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA_HOME="$("$ROOT/d2l4j" --print-java-home)"
OUTDIR="$ROOT/bench/target/profile"
mkdir -p "$OUTDIR"
NAME="$(echo "$1" | tr ' ' '-')"
echo "$1" | "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx12g \
  -XX:StartFlightRecording="filename=$OUTDIR/$NAME.jfr,settings=profile" \
  -cp "$ROOT/bench/target/benchmarks.jar" d2l4j.bench.Compare --warmup="${3:-3}" --time="${2:-10}" 2>/dev/null |
  grep -v '^\[' || true
"$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample "$OUTDIR/$NAME.jfr" > "$OUTDIR/$NAME.txt"
/usr/bin/python3 "$ROOT/bench/scripts/jfr_top.py" "$OUTDIR/$NAME.txt"
