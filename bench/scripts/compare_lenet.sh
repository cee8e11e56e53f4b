#!/usr/bin/env bash
# LeNet training throughput, d2l4j next to PyTorch, on this machine, in one run:
#   bench/scripts/compare_lenet.sh [rounds]
# Both sides train d2l's LeNet at batch 256 on a fixed random batch (forward, loss, backward, SGD),
# at 1 and 2 threads, alternating, `rounds` times (default 2). PyTorch is Debian's python3-torch with
# OpenBLAS for its matrix products (Debian's default reference BLAS would flatter us: see ANCHORS.md);
# OpenBLAS is unpacked from Debian's libopenblas0-openmp into bench/target/openblas, not installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-2}"
cd "$ROOT"
JAVA_HOME="$(./d2l4j --print-java-home)"
(export JAVA_HOME; mvn -B -q -DskipTests -pl bench -am package)
CP="$(for m in tensor kernels autograd layers zoo bench; do printf '%s:' "$m/target/$m-0.1.0-SNAPSHOT.jar"; done)"

OB="$ROOT/bench/target/openblas"
if [ ! -f "$OB/libblas.so.3" ]; then
  mkdir -p "$OB/deb" && (cd "$OB/deb" && apt-get download libopenblas0-openmp >/dev/null 2>&1) \
    && dpkg -x "$OB"/deb/libopenblas0-openmp_*.deb "$OB/root" \
    && cp "$OB"/root/usr/lib/x86_64-linux-gnu/openblas-openmp/* "$OB/" \
    || echo "could not fetch libopenblas0-openmp: PyTorch will use Debian's default BLAS" >&2
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); $(date -u +%F)"
for r in $(seq "$ROUNDS"); do
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "$CP" d2l4j.bench.Throughput 1 2 2>/dev/null
  LD_LIBRARY_PATH="$OB" /usr/bin/python3 bench/scripts/lenet_pytorch.py 1 2
done
