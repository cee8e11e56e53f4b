#!/usr/bin/env bash
# Runs on the GPU machine (after bench/gpu/prepare.sh here): registers NVIDIA's OpenCL ICD, then measures
# the training throughput of the five nets and runs d2l's full recipes for as many nets as time allows,
# printing d2l's lines. Output goes to $OUT (the device tool's folder) or bench/gpu/results.
#   bench/gpu/device.sh [--local] [nets for the full recipes, default "lenet alexnet googlenet vgg nin"]
# Environment: D2L4J_GPU_OUT / D2L4J_GPU_DATA (where the runtime and data were copied), STEP_TIMEOUT
# (seconds per JVM), STEPS (training steps timed per net, default 20), THROUGHPUT=off.
# Run on the H200 (2026-11-26) as two calls: copy bench/gpu/out to /tmp/g, then
#   D2L4J_GPU_OUT=/tmp/g/out STEP_TIMEOUT=75 STEPS=10 bench/gpu/device.sh lenet   (results-gpu-throughput.txt)
#   D2L4J_GPU_OUT=/tmp/g/out STEP_TIMEOUT=230 THROUGHPUT=off bench/gpu/device.sh lenet   (results-gpu-lenet.txt)
# --local: on this machine, on PoCL, with small batches and --limit, to check the script end to end.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
G="$ROOT/bench/gpu"
LOCAL=0
if [ "${1:-}" = --local ]; then LOCAL=1; shift; fi
NETS="${*:-lenet alexnet googlenet vgg nin}"
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
  if [ "$LOCAL" = 1 ]; then
    "${RUN[@]}" d2l4j.bench.DeviceThroughput opencl all 8 2
    "${RUN[@]}" d2l4j.zoo.Main train lenet --device opencl --epochs 1 --limit 2000 --test-limit 1000 --plot "$RES/lenet-local.png"
  else
    # one JVM per net, so that a timeout cuts only that net's measurement; THROUGHPUT=off skips them
    if [ "${THROUGHPUT:-on}" != off ]; then
      for n in lenet alexnet vgg nin googlenet; do
        "${RUN[@]}" d2l4j.bench.DeviceThroughput opencl "$n" d2l "${STEPS:-20}" || echo "$n: stopped (exit $?)"
      done
    fi
    for n in $NETS; do
      "${RUN[@]}" d2l4j.zoo.Main train "$n" --device opencl --plot "$RES/$n.png" || echo "$n: stopped (exit $?)"
    done
  fi
} 2>&1 | grep --line-buffered -v 'batches,' | tee "$RES/results-$([ $LOCAL = 1 ] && echo pocl || echo gpu).txt"
