#!/usr/bin/python3
"""Runs the JMH suites (see jmh.sh) and reports GFLOPS and percent of the peak measured in the same run.

    /usr/bin/python3 bench/scripts/jmh.py JAVA_HOME quick|full [extra JMH arguments]
"""
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = os.path.join(ROOT, "bench", "target", "benchmarks.jar")
NETS = ["lenet", "alexnet", "vgg", "nin", "googlenet"]


def ints(s):
    return [int(v) for v in s.replace("_", ",").split(",")]


def conv_flops(s):
    n, c, h, w, k, r, ss, st, pad = ints(s)
    return 2.0 * n * k * ((h + 2 * pad - r) // st + 1) * ((w + 2 * pad - ss) // st + 1) * c * r * ss


def main():
    jh, mode, extra = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "quick", sys.argv[3:]
    if mode not in ("quick", "full"):
        raise SystemExit("usage: bench/scripts/jmh.sh quick|full [JMH arguments]")
    java = [os.path.join(jh, "bin", "java"), "--add-modules", "jdk.incubator.vector"]
    found = {}
    for line in subprocess.run(java + ["-cp", JAR, "d2l4j.bench.Shapes"], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        kind, net, shape = line.split()
        found.setdefault((kind, net), []).append(shape.replace(",", "_"))
    quick = mode == "quick"
    it = ["-f", "1", "-wi", "1", "-w", "1", "-i", "2", "-r", "1"] if quick else ["-f", "1", "-wi", "2", "-w", "2", "-i", "3", "-r", "2"]
    squares = [f"{n}_{n}_{n}_0_0" for n in (256, 512, 1024, 2048)]
    zoo_gemm = []
    for net in NETS:
        g = sorted(found.get(("gemm", net), []), key=lambda s: ints(s)[0] * ints(s)[1] * ints(s)[2], reverse=True)
        zoo_gemm += [x for x in (g[:1] if quick else g) if x not in zoo_gemm and x not in squares]
    convs = []
    for net in NETS:
        c = sorted(found.get(("conv", net), []), key=conv_flops, reverse=True)
        convs += [x for x in (c[:1] if quick else c) if x not in convs]
    pools = []
    for net in NETS:
        p = found.get(("pool", net), [])
        pools += [x for x in (p[:1] if quick else p) if x not in pools]
    cap = "16" if quick else "0"
    runs = [
        ["PeakBench"],
        ["GemmBench", "-p", "impl=reference", "-p", "shape=" + ",".join(squares[:2])],
        ["GemmBench", "-p", "impl=simd1,simd2", "-p", "shape=" + ",".join(squares + zoo_gemm)],
        ["ConvBench", "-p", "shape=" + ",".join(convs), "-p", "batch=" + cap],
        ["PoolBench", "-p", "shape=" + ",".join(pools), "-p", "batch=" + cap],
        ["LossBench"],
        ["NetBench", "-p", "net=lenet", "-p", "batch=0"],
        ["NetBench", "-p", "net=" + ",".join(NETS[1:]), "-p", "batch=" + ("8" if quick else "0")],
    ]
    if os.environ.get("D2L4J_JMH_OPENCL"):  # the OpenCL variants (slow on PoCL; meant for a GPU)
        runs.append(["OpenClBench", "-p", "shape=" + ",".join(squares[2:] + zoo_gemm[:2]), "-p", "conv=" + ",".join(convs[:3])])
    results = []
    out = os.path.join(ROOT, "bench", "target", f"jmh-{mode}.json")
    for i, r in enumerate(runs):
        part = out + f".{i}"
        cmd = java + ["-jar", JAR, "^d2l4j\\.bench\\.jmh\\." + r[0] + "\\."] + r[1:] + it + \
            ["-jvmArgsAppend", "--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx12g",
             "-rf", "json", "-rff", part] + extra
        print(" ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
        with open(part) as f:
            results += json.load(f)
    with open(out, "w") as f:
        json.dump(results, f, indent=1)
    report(results)
    print(f"\nJSON: {out}")


def report(results):
    peak = {}
    for r in results:
        if r["benchmark"].endswith("PeakBench.fma1"):
            peak[1] = r["primaryMetric"]["score"] / 1e9
        elif r["benchmark"].endswith("PeakBench.fma2"):
            peak[2] = r["primaryMetric"]["score"] / 1e9
    print(f"\nFMA peak (this run): {peak.get(1, float('nan')):.1f} GFLOPS on 1 thread, "
          f"{peak.get(2, float('nan')):.1f} on 2\n")
    print(f"{'benchmark':<12} {'parameters':<64} {'time':>12} {'GFLOPS':>8} {'% peak':>7}")
    for r in results:
        name = r["benchmark"].rsplit(".", 2)[-2]
        if name == "PeakBench":
            continue
        p = r.get("params", {})
        score, unit = r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"]
        secs = score * {"ms/op": 1e-3, "us/op": 1e-6, "s/op": 1.0}.get(unit, float("nan"))
        flops, threads = 0.0, int(p.get("threads", "1"))
        if name == "GemmBench":
            m, n, k = ints(p["shape"])[:3]
            flops, threads = 2.0 * m * n * k, 2 if p["impl"] == "simd2" else 1
        elif name == "ConvBench":
            v = ints(p["shape"])
            if int(p["batch"]) > 0:
                v[0] = min(v[0], int(p["batch"]))
            flops = conv_flops(",".join(map(str, v)))
        gf = flops / secs / 1e9 if flops else float("nan")
        pct = 100 * gf / peak[threads] if flops and threads in peak else float("nan")
        params = " ".join(f"{k}={v}" for k, v in p.items())
        print(f"{name:<12} {params:<64} {score:>9.3f} {unit[:2]:>2} {gf:>8.1f} {pct:>6.0f}%")


if __name__ == "__main__":
    main()
