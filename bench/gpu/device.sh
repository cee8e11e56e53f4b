#!/usr/bin/env bash
# Runs on the GPU machine (after bench/gpu/prepare.sh here): registers NVIDIA's OpenCL ICD, then measures
# the training throughput of the five nets and runs d2l's full recipes for as many nets as time allows,
# printing d2l's lines. Output goes to $OUT (the device tool's folder) or bench/gpu/results.
#   bench/gpu/device.sh [--local] [nets for the full recipes, default "lenet alexnet googlenet vgg nin"]
# --local: on this machine, on PoCL, with small batches and --limit, to check the script end to end.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
G="$ROOT/bench/gpu"
LOCAL=0
if [ "${1:-}" = --local ]; then LOCAL=1; shift; fi
NETS="${*:-lenet alexnet googlenet vgg nin}"
RES="${OUT:-$G/results}"
mkdir -p "$RES"
JAVA="$G/out/jre/bin/java"
CP="$(ls "$G"/out/lib/*.jar | tr '\n' ':')"
export D2L4J_DATA="$G/data"
if [ "$LOCAL" = 0 ]; then
  mkdir -p "$RES/icd"
  echo /usr/local/nvidia/lib64/libnvidia-opencl.so.1 > "$RES/icd/nvidia.icd"
  export OCL_ICD_VENDORS="$RES/icd"
  export LD_LIBRARY_PATH="$G/out/native:/usr/local/nvidia/lib64:${LD_LIBRARY_PATH:-}"
fi
RUN=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx24g -cp "$CP")
{
  echo "machine: $(nproc) cores; $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi'); date $(date -u +%FT%TZ)"
  echo "command: bench/gpu/device.sh $([ $LOCAL = 1 ] && echo --local) $NETS"
  if [ "$LOCAL" = 1 ]; then
    "${RUN[@]}" d2l4j.bench.DeviceThroughput opencl all 8 2
    "${RUN[@]}" d2l4j.zoo.Main train lenet --device opencl --epochs 1 --limit 2000 --test-limit 1000 --plot "$RES/lenet-local.png"
  else
    "${RUN[@]}" d2l4j.bench.DeviceThroughput opencl all d2l 20
    for n in $NETS; do
      "${RUN[@]}" d2l4j.zoo.Main train "$n" --device opencl --plot "$RES/$n.png"
    done
  fi
} 2>&1 | grep --line-buffered -v 'batches,' | tee "$RES/results-$([ $LOCAL = 1 ] && echo pocl || echo gpu).txt"
