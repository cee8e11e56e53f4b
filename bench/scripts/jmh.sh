#!/usr/bin/env bash
# The JMH suites of issue 4 in one command:
#   bench/scripts/jmh.sh quick     # under 10 minutes: the heaviest shapes, small batches, short iterations
#   bench/scripts/jmh.sh full      # every shape of the zoo at d2l's batch sizes (hours)
# Builds bench/target/benchmarks.jar (maven-shade), runs the suites with the shapes recorded from the zoo
# (d2l4j.bench.Shapes), writes bench/target/jmh-<mode>.json and prints GFLOPS and percent of the FMA peak
# measured in the same run (PeakBench). Any other arguments go to JMH after ours, e.g. -p threads=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(./d2l4j --print-java-home)"
(export JAVA_HOME; mvn -B -q -DskipTests package -pl bench -am)
exec /usr/bin/python3 bench/scripts/jmh.py "$JAVA_HOME" "$@"
