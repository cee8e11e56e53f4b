#!/usr/bin/env bash
# Runs on the GPU machine (after bench/gpu/prepare.sh here): registers NVIDIA's OpenCL ICD, then, in one
# run that fits a device call (10 minutes) inside a session's 15 minutes of device time:
#   1. SGEMM GFLOPS at 1024-8192 (DeviceGemm; the tuner picks the tile on first use and caches it);
#   2. training and inference throughput of the five nets at d2l's batch sizes, with what one steady step
#      moves (launches, allocations, bytes up/down, waits) and the per-kernel time table (DeviceThroughput);
#   3. d2l's full 10-epoch recipes in the order LeNet, GoogLeNet, NiN, AlexNet, VGG for as many as fit,
#      each ending with d2l's two lines.
# Output goes to $OUT (the device tool's folder) or bench/gpu/results.
#   bench/gpu/device.sh [--local] [nets for the full recipes, default "lenet googlenet nin alexnet vgg"]
# Environment: D2L4J_GPU_OUT / D2L4J_GPU_DATA (where the runtime and data were copied), STEP_TIMEOUT
# (seconds per JVM), STEPS (timed steps per net, default 10), THROUGHPUT=off, RECIPES=off.
# As two device calls: copy bench/gpu/out to /tmp/g (~45 MiB), then with the data (~31 MiB):
#   D2L4J_GPU_OUT=/tmp/g/out D2L4J_GPU_DATA=data STEP_TIMEOUT=120 bench/gpu/device.sh
# --local: on this machine, on PoCL, with small batches and --limit, to check the script end to end.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
G="$ROOT/bench/gpu"
LOCAL=0
if [ "${1:-}" = --local ]; then LOCAL=1; shift; fi
NETS="${*:-lenet googlenet nin alexnet vgg}"
RES="${OUT:-$G/results}"
mkdir -p "$RES"
# The runtime and the data may have been copied elsewhere first (the device tool carries 64 MiB per call).
BASE="${D2L4J_GPU_OUT:-$G/out}"
JAVA="$BASE/jre/bin/java"
CP="$(ls "$BASE"/lib/*.jar | tr '\n' ':')"
export D2L4J_DATA="${D2L4J_GPU_DATA:-$G/data}"
# Each JVM is cut off after STEP_TIMEOUT seconds (default: none) so that a short device lease still
# brings back what finished.
T=()
if [ -n "${STEP_TIMEOUT:-}" ]; then T=(timeout "$STEP_TIMEOUT"); fi
if [ "$LOCAL" = 0 ]; then
  mkdir -p "$RES/icd"
  echo /usr/local/nvidia/lib64/libnvidia-opencl.so.1 > "$RES/icd/nvidia.icd"
  export OCL_ICD_VENDORS="$RES/icd"
  export LD_LIBRARY_PATH="$BASE/native:/usr/local/nvidia/lib64:${LD_LIBRARY_PATH:-}"
fi
RUN=("${T[@]}" "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx24g -cp "$CP")
{
  echo "machine: $(nproc) cores; $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi'); date $(date -u +%FT%TZ)"
  echo "command: bench/gpu/device.sh $([ $LOCAL = 1 ] && echo --local) $NETS"
  # compiled kernels and the tuner's choice are cached here (both keyed by device and driver): the first
  # JVM tunes and compiles, the others start at once
  [ "$LOCAL" = 0 ] && export D2L4J_CACHE="${D2L4J_CACHE:-/tmp/d2l4j-cache}"
  if [ "$LOCAL" = 1 ]; then
    "${RUN[@]}" d2l4j.bench.DeviceGemm opencl 128,256
    "${RUN[@]}" d2l4j.bench.DeviceThroughput opencl lenet 64 2
    "${RUN[@]}" d2l4j.bench.DeviceThroughput opencl googlenet,nin,alexnet,vgg 2 1
    "${RUN[@]}" d2l4j.zoo.Main train lenet --device opencl --epochs 1 --limit 2000 --test-limit 1000 --stats --plot "$RES/lenet-local.png"
  else
    # one JVM per net, so that a timeout cuts only that net's measurement; THROUGHPUT=off skips them
    if [ "${THROUGHPUT:-on}" != off ]; then
      "${RUN[@]}" d2l4j.bench.DeviceGemm opencl 1024,2048,4096,8192 || echo "sgemm: stopped (exit $?)"
      for n in lenet alexnet vgg nin googlenet; do
        "${RUN[@]}" d2l4j.bench.DeviceThroughput opencl "$n" d2l "${STEPS:-10}" || echo "$n: stopped (exit $?)"
      done
    fi
    if [ "${RECIPES:-on}" != off ]; then
      for n in $NETS; do
        "${RUN[@]}" d2l4j.zoo.Main train "$n" --device opencl --plot "$RES/$n.png" || echo "$n: stopped (exit $?)"
      done
    fi
  fi
} 2>&1 | grep --line-buffered -v 'batches,' | tee "$RES/results-$([ $LOCAL = 1 ] && echo pocl || echo gpu).txt"
