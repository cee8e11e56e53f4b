#!/usr/bin/python3
"""d2l4j next to PyTorch on this machine, side by side in one run, as one table of speed ratios.

    bench/scripts/compare.py quick     # ~10 minutes: big nets and their convolutions at batch 16
    bench/scripts/compare.py full      # d2l's batch sizes, every GEMM and convolution shape of the zoo
    bench/scripts/compare.py quick --isa avx2   # both sides held to AVX2, written to bench/RESULTS-avx2.md

--isa avx2 compares the two ISAs like for like on an AVX-512 machine: ours with the forced AVX2 variant
(-Dd2l4j.simd=avx2: 256-bit vectors, the 16-register tiles), PyTorch restricted to AVX2
(ATEN_CPU_CAPABILITY=avx2, DNNL_MAX_CPU_ISA=AVX2 for oneDNN, OPENBLAS_CORETYPE=Haswell for OpenBLAS).

The cases (GEMM shapes, convolution shapes in three directions, a training step and an inference batch
of each net, on 1 and 2 threads) come from d2l4j.bench.Shapes, which records them from the zoo's nets.
Our side is d2l4j.bench.Compare (the Vector API kernels, no JMH), PyTorch's is torch_cases.py (Debian's
python3-torch 1.13 with OpenBLAS from Debian's libopenblas0-openmp on LD_LIBRARY_PATH, unpacked into
bench/target/openblas; torch.set_num_threads as the case says). Both time each case the same way (warm
up, then the median of repeated runs), category by category, alternating sides. The ratio is ours over
PyTorch's speed (PyTorch's time / ours): above 1 we are faster. The table is printed and written to
bench/RESULTS.md with the machine, JDK, date and command (regenerated here, never edited by hand).
"""
import datetime
import math
import os
import platform
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OB = os.path.join(ROOT, "bench", "target", "openblas")
JAR = os.path.join(ROOT, "bench", "target", "benchmarks.jar")
NETS = ["lenet", "alexnet", "vgg", "nin", "googlenet"]
SQUARES = [256, 512, 1024, 2048]


def java_home():
    return subprocess.run([os.path.join(ROOT, "d2l4j"), "--print-java-home"], capture_output=True, text=True,
                          check=True).stdout.strip()


ISA = None  # None: each side as it runs here; "avx2": both held to AVX2 (see --isa)
TORCH_AVX2 = {"ATEN_CPU_CAPABILITY": "avx2", "DNNL_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"}


def java(jh):
    variant = ["-Dd2l4j.simd=" + ISA] if ISA else []
    return [os.path.join(jh, "bin", "java"), "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC",
            "-Xmx12g"] + variant + ["-cp", JAR]


def torch_env(env=None):
    env = dict(env if env is not None else os.environ)
    if ISA == "avx2":
        env.update(TORCH_AVX2)
    return env


def build(jh):
    env = dict(os.environ, JAVA_HOME=jh)
    subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package", "-pl", "bench", "-am"], cwd=ROOT, env=env,
                   check=True)


def openblas():
    if os.path.exists(os.path.join(OB, "libblas.so.3")):
        return True
    deb = os.path.join(OB, "deb")
    os.makedirs(deb, exist_ok=True)
    try:
        subprocess.run(["apt-get", "download", "libopenblas0-openmp"], cwd=deb, check=True, capture_output=True)
        pkg = [f for f in os.listdir(deb) if f.endswith(".deb")][0]
        subprocess.run(["dpkg", "-x", os.path.join(deb, pkg), os.path.join(OB, "root")], check=True)
        src = os.path.join(OB, "root", "usr", "lib", "x86_64-linux-gnu", "openblas-openmp")
        for f in os.listdir(src):
            subprocess.run(["cp", os.path.join(src, f), OB], check=True)
        return True
    except Exception as e:  # noqa: BLE001 - report and go on with Debian's default BLAS
        print(f"could not unpack libopenblas0-openmp ({e}): PyTorch uses Debian's default BLAS", file=sys.stderr)
        return False


def shapes(jh):
    out = subprocess.run(java(jh) + ["d2l4j.bench.Shapes"], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        kind, net, shape = line.split()
        found.setdefault((kind, net), []).append(shape)
    return found


def ints(s):
    return [int(v) for v in s.split(",")]


def conv_flops(s):
    n, c, h, w, k, r, ss, st, pad = ints(s)
    return 2.0 * n * k * ((h + 2 * pad - r) // st + 1) * ((w + 2 * pad - ss) // st + 1) * c * r * ss


def gemm_flops(s):
    m, n, k = ints(s)[:3]
    return 2.0 * m * n * k


def cases(mode, found):
    """Case lines per category, in the format of Compare.java."""
    quick = mode == "quick"
    gemms = [f"{n},{n},{n},0,0" for n in SQUARES]
    for net in NETS:  # the zoo's products: Linear layers and the per-image products of the convolutions
        zoo = sorted(found.get(("gemm", net), []), key=gemm_flops, reverse=True)
        gemms += [g for g in (zoo[:3] if quick else zoo) if g not in gemms]
    convs = []
    for net in NETS:
        cs = found.get(("conv", net), [])
        if quick and net == "googlenet":  # 57 shapes: the 8 heaviest in quick mode
            cs = sorted(cs, key=conv_flops, reverse=True)[:8]
        convs += [(net, c) for c in cs if (net, c) not in convs]
    cap = 16 if quick else 0  # quick: the big nets' batch cut to 16 (LeNet keeps 256)
    out = {"peak": [f"peak {t}" for t in (1, 2)],
           "gemm": [f"gemm {g} {t}" for g in gemms for t in (1, 2)],
           "conv": [f"conv {c} {d} {t} {0 if net == 'lenet' else cap}" for net, c in convs
                    for d in ("fwd", "bwdData", "bwdWeight") for t in (1, 2)],
           "net": [f"net {n} {m} {t} {0 if n == 'lenet' else cap}" for n in NETS for m in ("train", "infer")
                   for t in (1, 2)]}
    limit = int(os.environ.get("D2L4J_COMPARE_LIMIT", "0"))  # a smoke test of this script: the first few per category
    if limit:
        out = {k: v if k in ("peak", "net") else v[:limit] for k, v in out.items()}
        out["net"] = [l for l in out["net"] if l.split()[1] in ("lenet", "googlenet")]
    return out, {c: net for net, c in convs}


class Side:
    """One side's measuring process (Compare or torch_cases.py), kept running and asked one case at a time, so
    that the two sides measure each case minutes apart at most, not a whole category apart: the machine is
    shared and its load drifts."""

    def __init__(self, cmd, env=None):
        self.err = tempfile.TemporaryFile(mode="w+")
        self.cmd = cmd
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True,
                                  env=env, bufsize=1)

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        while True:
            out = self.p.stdout.readline()
            if not out:
                self.err.seek(0)
                sys.stderr.write(self.err.read())
                raise SystemExit(f"{self.cmd[0]} stopped at case '{line}' ({self.p.wait()})")
            f = out.rstrip("\n").split("\t")
            if len(f) == 4 and f[0] == line:
                return float(f[1]), float(f[2])

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def mn(xs):
    xs = list(xs)
    return min(xs) if xs else float("nan")


def geomean(xs):
    xs = [x for x in xs if x > 0 and math.isfinite(x)]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else float("nan")


def min_heap(jh, net, batch, hint):
    """The smallest -Xmx (MiB, to within 8%) with which a warm-up step and one timed training step of `net` run:
    the memory a step needs on the JVM (ParallelGC), garbage collection included."""
    live = []

    def runs(mib):
        cmd = [a if not a.startswith("-Xmx") else f"-Xmx{mib}m" for a in java(jh)]
        try:
            r = subprocess.run(cmd + ["d2l4j.bench.PeakMemory", net, "1", "2", str(batch)], capture_output=True,
                               text=True, timeout=180)
        except subprocess.TimeoutExpired:
            return False
        m = re.search(r"live after the forward pass (\d+) MiB", r.stdout)
        if r.returncode == 0 and m:
            live.append(float(m.group(1)))
        return r.returncode == 0
    lo, hi = max(8, int(hint) // 2), max(16, int(hint))  # start from PyTorch's figure: [hint/2, hint]
    if runs(hi):
        while lo > 8 and runs(lo):  # half of that is still enough: look further down
            lo, hi = lo // 2, lo
    else:
        lo, hi = hi, hi * 2
        while not runs(hi):
            lo, hi = hi, hi * 2
    while hi - lo > max(8, hi * 0.08):
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if runs(mid) else (mid, hi)
    return hi, (max(live) if live else float("nan"))


def memory(jh, mode):
    """Peak memory of training steps per net, each side in fresh processes: {net: (ours MiB, PyTorch MiB)}."""
    out = {}
    for n in NETS:
        batch = 256 if n == "lenet" else (16 if mode == "quick" else 128)
        print(f"[{datetime.datetime.now():%H:%M:%S}] memory: {n} batch {batch}", file=sys.stderr, flush=True)
        t = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "scripts", "torch_cases.py"), "--memory",
                            n, str(batch), "3", "2"], capture_output=True, text=True, check=True, env=torch_env()).stdout
        theirs = float(t.strip().split("\t")[1])
        xmx, live = min_heap(jh, n, batch, theirs)
        out[n] = (xmx, theirs, live)
    return out


def main():
    global ISA
    mode = sys.argv[1] if len(sys.argv) > 1 else "quick"
    if mode not in ("quick", "full"):
        raise SystemExit("usage: bench/scripts/compare.py quick|full [--no-build] [--isa avx2]")
    if "--isa" in sys.argv:
        i = sys.argv.index("--isa")
        ISA = sys.argv[i + 1] if i + 1 < len(sys.argv) else ""
        if ISA != "avx2":
            raise SystemExit(f"--isa expects avx2, got {ISA!r}")
    jh = java_home()
    if "--no-build" not in sys.argv:
        build(jh)
    has_ob = openblas()
    env = torch_env(dict(os.environ, LD_LIBRARY_PATH=OB if has_ob else os.environ.get("LD_LIBRARY_PATH", "")))
    timing = ["--warmup=0.2", "--time=0.4"] if mode == "quick" else ["--warmup=1", "--time=3"]
    # LeNet's steps are short and call many small kernels: 0.2 s of warm-up leaves the JIT half done (measured:
    # 25-28 ms per step after 0.3 s, 12 ms after 3 s), so its cases get a warm-up of seconds on both sides.
    lenet_timing = ["--warmup=3", "--time=2"] if mode == "quick" else ["--warmup=5", "--time=5"]
    found = shapes(jh)
    by_cat, conv_net = cases(mode, found)
    ours, theirs = {}, {}
    groups = [(cat, lines, timing) for cat, lines in by_cat.items() if cat != "net"]
    groups += [("net", [l for l in by_cat["net"] if l.split()[1] == "lenet"], lenet_timing),
               ("net", [l for l in by_cat["net"] if l.split()[1] != "lenet"], timing)]
    for cat, lines, t in groups:  # both sides running, asked case by case, taking turns at going first
        print(f"[{datetime.datetime.now():%H:%M:%S}] {cat}: {len(lines)} cases", file=sys.stderr, flush=True)
        a = Side(java(jh) + ["d2l4j.bench.Compare"] + t)
        b = Side(["/usr/bin/python3", os.path.join(ROOT, "bench", "scripts", "torch_cases.py")] + t, env)
        for i, line in enumerate(lines):
            if i % 2 == 0:
                ours[line] = a.ask(line)
                theirs[line] = b.ask(line)
            else:
                theirs[line] = b.ask(line)
                ours[line] = a.ask(line)
        a.close()
        b.close()

    peak = {t: ours[f"peak {t}"][1] / ours[f"peak {t}"][0] / 1e9 for t in (1, 2)}
    rows, ratios = [], {}
    for cat in ("gemm", "conv", "net"):
        for line in by_cat[cat]:
            f = line.split()
            threads = int(f[2] if cat == "gemm" else f[3])
            to, flops = ours[line]
            tt = theirs[line][0]
            ratio = tt / to
            if cat == "gemm":
                what, label = "gemm", f[1]
            elif cat == "conv":
                n = int(f[4]) if int(f[4]) > 0 else None
                shape = ints(f[1])
                if n:
                    shape[0] = min(shape[0], n)
                what, label = f"conv {f[2]}", f"{conv_net[f[1]]} " + ",".join(map(str, shape))
            else:
                b = int(f[4]) or {"lenet": 256}.get(f[1], 128)
                what, label = f"{f[2]}", f"{f[1]} batch {b}"
            key = (what, threads)
            ratios.setdefault(key, []).append(ratio)
            gf_o = flops / to / 1e9
            gf_t = flops / tt / 1e9
            extra = f"{1 / to * (int(f[4]) or (256 if f[1] == 'lenet' else 128)):.1f} img/s" if cat == "net" else ""
            rows.append(f"| {what} | {label} | {threads} | {to * 1e3:.2f} | {tt * 1e3:.2f} | {gf_o:.1f} | {gf_t:.1f} | "
                        f"{100 * gf_o / peak[threads]:.0f}% | **{ratio:.2f}** | {extra} |")

    jv = subprocess.run(java(jh)[:1] + ["-version"], capture_output=True, text=True).stderr.splitlines()[0]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    tv = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"], capture_output=True,
                        text=True).stdout.strip()
    kernels = subprocess.run(java(jh) + ["d2l4j.bench.Kernels"], capture_output=True, text=True).stdout.strip()
    shown = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__config__.show())"],
                           capture_output=True, text=True, env=torch_env()).stdout
    torch_isa = next((l.split(":", 1)[1].strip() for l in shown.splitlines() if "CPU capability usage" in l), "?")
    net_time = {(l.split()[1], l.split()[2], int(l.split()[3])): ours[l][0] for l in by_cat["net"]}
    targets = []
    sq = [r for k, r in ratios.items() if k[0] == "gemm"]
    gem1 = [(line, ours[line]) for line in by_cat["gemm"] if line.split()[2] == "1"
            and line.split()[1] in [f"{n},{n},{n},0,0" for n in SQUARES if n >= 512]]
    pct = [fl / t / 1e9 / peak[1] * 100 for _, (t, fl) in gem1]
    targets.append(f"- SGEMM 512-2048, 1 thread, >= 85% of peak: {'met' if mn(pct) >= 85 else 'NOT met'} "
                   f"({', '.join(f'{p:.0f}%' for p in pct)})")
    for t in (1, 2):
        rs = [theirs[l][0] / ours[l][0] for l in by_cat["gemm"] if l.split()[2] == str(t)
              and l.split()[1] in [f"{n},{n},{n},0,0" for n in SQUARES if n >= 512]]
        targets.append(f"- SGEMM 512-2048 >= PyTorch, {t} thread(s): {'met' if mn(rs) >= 1 else 'NOT met'} "
                       f"(min ratio {mn(rs):.2f})")
    for t in (1, 2):
        rs = [r for (w, th), v in ratios.items() if w.startswith("conv") and th == t for r in v]
        targets.append(f"- every convolution >= PyTorch, {t} thread(s): {'met' if mn(rs) >= 1 else 'NOT met'} "
                       f"({sum(r >= 1 for r in rs)} of {len(rs)}; geomean {geomean(rs):.2f}, min {mn(rs):.2f})")
    for m in ("train", "infer"):
        rs = {n: theirs[f"net {n} {m} 2 {l.split()[4]}"][0] / ours[l][0]
              for n in NETS for l in by_cat["net"] if l.split()[1] == n and l.split()[2] == m and l.split()[3] == "2"}
        ok = all(r >= (1.5 if n == "lenet" else 1) for n, r in rs.items())
        targets.append(f"- {m}, 2 threads, >= PyTorch (LeNet >= 1.5x): {'met' if ok else 'NOT met'} ("
                       + ", ".join(f"{n} {r:.2f}" for n, r in rs.items()) + ")")
    sc = {n: net_time[(n, "train", 1)] / net_time[(n, "train", 2)] for n in NETS if (n, "train", 1) in net_time}
    targets.append(f"- training 1 -> 2 threads >= 1.8x: {'met' if mn(sc.values()) >= 1.8 else 'NOT met'} ("
                   + ", ".join(f"{n} {v:.2f}x" for n, v in sc.items()) + ")")
    mem = memory(jh, mode)
    targets.append(f"- peak memory of a training step <= PyTorch's: {'met' if all(o <= t for o, t, _ in mem.values()) else 'NOT met'} ("
                   + ", ".join(f"{n} {o:.0f} vs {t:.0f} MiB ({t / o:.2f}; live {lv:.0f})" for n, (o, t, lv) in mem.items())
                   + "; ours: the smallest -Xmx that runs the steps (collector headroom included), PyTorch: peak resident "
                   "set minus the resident set before the net was made; 'live': our heap after full collections at the "
                   "end of the forward pass, the step's fullest moment short of the backward pass's temporaries; same "
                   "batches as the steps above, 2 threads)")

    out = [f"# d2l4j vs PyTorch, side by side ({mode} mode)", "",
           "Generated by `bench/scripts/compare.py " + " ".join(sys.argv[1:]) + "`; do not edit by hand.", "",
           f"- machine: {os.cpu_count()} cores, {cpu}, {platform.platform()}; load average at the end "
           f"{os.getloadavg()[0]:.2f} (the machine is shared: compare ratios, not absolute numbers)",
           f"- d2l4j: {jv}; kernels: {kernels}",
           f"- PyTorch {tv} (oneDNN convolutions{', OpenBLAS matrix products' if has_ob else ', Debian default BLAS'}; "
           f"ATen's CPU capability {torch_isa}" + (", held to AVX2: " + " ".join(f"{k}={v}" for k, v in TORCH_AVX2.items())
                                            if ISA == "avx2" else "") + ")",
           f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
           f"- FMA peak measured in this run (d2l4j.bench.Peak): {peak[1]:.1f} GFLOPS on 1 thread, "
           f"{peak[2]:.1f} on 2",
           "- ratio = PyTorch's time / ours (above 1: d2l4j is faster); GFLOPS of nets count a training step as "
           "3 forward passes; % peak is ours against the FMA peak for that thread count",
           ("- quick mode: the big nets' convolutions and steps at batch 16 (LeNet at 256), GoogLeNet's 8 heaviest "
            "convolutions, the 3 heaviest products per net" if mode == "quick" else
            "- full mode: d2l's batch sizes (LeNet 256, others 128), every distinct product and convolution"), "",
           "## Targets (issues 4 and 12)", ""] + targets + ["", "## Geometric mean of the ratios", "",
           "| case | 1 thread | 2 threads |", "|---|---|---|"]
    for what in dict.fromkeys(k[0] for k in ratios):
        out.append(f"| {what} | {geomean(ratios.get((what, 1), [])):.2f} | {geomean(ratios.get((what, 2), [])):.2f} |")
    out += ["", "## Every case", "",
            "| case | shape (gemm M,N,K,tA,tB; conv N,C,H,W,K,R,S,stride,pad) | threads | ours ms | PyTorch ms | "
            "ours GFLOPS | PyTorch GFLOPS | ours % peak | ratio | |", "|---|---|---|---|---|---|---|---|---|---|"]
    out += rows
    text = "\n".join(out) + "\n"
    print(text)
    with open(os.path.join(ROOT, "bench", "RESULTS-avx2.md" if ISA == "avx2" else "RESULTS.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
