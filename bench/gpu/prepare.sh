#!/usr/bin/env bash
# Prepares what the GPU machine needs (it has no Java and no network): a jlink'd JDK 25 runtime, the
# jars, Debian's libOpenCL.so.1, in bench/gpu/out (~46 MB), and the Fashion-MNIST files in bench/gpu/data
# (~31 MB, sent in a second call since one call carries at most 64 MiB). Then, on the device machine:
#   bench/gpu/device.sh            (NVIDIA's OpenCL, registered through OCL_ICD_VENDORS)
# and here, end to end on PoCL, to check the script itself:
#   bench/gpu/device.sh --local
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(./d2l4j --print-java-home)"
export JAVA_HOME
mvn -B -q -DskipTests -pl bench,kernels-opencl -am package
OUT="$ROOT/bench/gpu/out"
rm -rf "$OUT" && mkdir -p "$OUT/lib" "$OUT/native"
# ~45 MB: without java.desktop (the training plot is then skipped with a note), which would add ~19 MB
# and push one call past its 64 MiB; java.logging for JOCL's loader.
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.net.http,jdk.incubator.vector,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$OUT/jre"
for m in tensor testkit kernels autograd layers zoo kernels-opencl bench; do cp "$m/target/$m-0.1.0-SNAPSHOT.jar" "$OUT/lib/"; done
cp kernels-opencl/target/lib/*.jar "$OUT/lib/"
cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$OUT/native/"
mkdir -p "$ROOT/bench/gpu/data"
cp /usr/share/datasets/fashion-mnist/*.gz "$ROOT/bench/gpu/data/"
du -sh "$OUT" "$ROOT/bench/gpu/data"
