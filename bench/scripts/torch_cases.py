#!/usr/bin/python3
"""The PyTorch half of bench/scripts/compare.py: the same cases as d2l4j.bench.Compare, timed the same way.

Reads one case per line on standard input (see Compare.java: peak, gemm, conv, net) and prints
'case<TAB>median seconds<TAB>flops<TAB>runs'. With --memory NAME BATCH STEPS THREADS: the peak memory of
training steps instead (see memory()). Run with Debian's python3-torch (1.13) and OpenBLAS on
LD_LIBRARY_PATH (compare.py does both). 'peak' is answered with nothing measured (PyTorch has no FMA loop).
"""
import os
import resource
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


# ---- d2l's nets (d2l-en, chapter "Modern CNNs"), the same as the zoo's ----

def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


def alexnet():
    return nn.Sequential(
        nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Flatten(), nn.Linear(6400, 4096), nn.ReLU(), nn.Dropout(p=0.5),
        nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(4096, 10))


def vgg(conv_arch=((1, 16), (1, 32), (2, 64), (2, 128), (2, 128))):
    blks, cin = [], 1
    for num_convs, cout in conv_arch:
        for _ in range(num_convs):
            blks += [nn.Conv2d(cin, cout, kernel_size=3, padding=1), nn.ReLU()]
            cin = cout
        blks.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*blks, nn.Flatten(), nn.Linear(cin * 7 * 7, 4096), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, 10))


def nin_block(cin, cout, k, s, p):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p), nn.ReLU(), nn.Conv2d(cout, cout, 1), nn.ReLU(),
                         nn.Conv2d(cout, cout, 1), nn.ReLU())


def nin():
    return nn.Sequential(
        nin_block(1, 96, 11, 4, 0), nn.MaxPool2d(3, stride=2), nin_block(96, 256, 5, 1, 2), nn.MaxPool2d(3, stride=2),
        nin_block(256, 384, 3, 1, 1), nn.MaxPool2d(3, stride=2), nn.Dropout(0.5), nin_block(384, 10, 3, 1, 1),
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())


class Inception(nn.Module):
    def __init__(self, cin, c1, c2, c3, c4):
        super().__init__()
        self.p1_1 = nn.Conv2d(cin, c1, 1)
        self.p2_1, self.p2_2 = nn.Conv2d(cin, c2[0], 1), nn.Conv2d(c2[0], c2[1], 3, padding=1)
        self.p3_1, self.p3_2 = nn.Conv2d(cin, c3[0], 1), nn.Conv2d(c3[0], c3[1], 5, padding=2)
        self.p4_1, self.p4_2 = nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(cin, c4, 1)

    def forward(self, x):
        p1 = F.relu(self.p1_1(x))
        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
        p4 = F.relu(self.p4_2(self.p4_1(x)))
        return torch.cat((p1, p2, p3, p4), dim=1)


def googlenet():
    b1 = nn.Sequential(nn.Conv2d(1, 64, 7, 2, 3), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
    b2 = nn.Sequential(nn.Conv2d(64, 64, 1), nn.ReLU(), nn.Conv2d(64, 192, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
    b3 = nn.Sequential(Inception(192, 64, (96, 128), (16, 32), 32), Inception(256, 128, (128, 192), (32, 96), 64),
                       nn.MaxPool2d(3, 2, 1))
    b4 = nn.Sequential(Inception(480, 192, (96, 208), (16, 48), 64), Inception(512, 160, (112, 224), (24, 64), 64),
                       Inception(512, 128, (128, 256), (24, 64), 64), Inception(512, 112, (144, 288), (32, 64), 64),
                       Inception(528, 256, (160, 320), (32, 128), 128), nn.MaxPool2d(3, 2, 1))
    b5 = nn.Sequential(Inception(832, 256, (160, 320), (32, 128), 128), Inception(832, 384, (192, 384), (48, 128), 128),
                       nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
    return nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(1024, 10))


NETS = {"lenet": (lenet, 28, 0.9), "alexnet": (alexnet, 224, 0.01), "vgg": (vgg, 224, 0.05), "nin": (nin, 224, 0.1),
        "googlenet": (googlenet, 96, 0.1)}


# ---- the cases ----

def ints(s):
    return [int(v) for v in s.split(",")]


def gemm(shape):
    m, n, k, ta, tb = ints(shape)
    a = torch.rand(k, m).t() if ta else torch.rand(m, k)  # op(A) as a transposed view, as BLAS sees it
    b = torch.rand(n, k).t() if tb else torch.rand(k, n)
    c = torch.empty(m, n)
    return (lambda: torch.mm(a, b, out=c)), 2.0 * m * n * k


def conv(shape, direction, cap):
    n, c, h, w, k, r, s, st, pad = ints(shape)
    n = min(n, cap) if cap > 0 else n
    x, wt, bias = torch.rand(n, c, h, w), torch.rand(k, c, r, s) * 0.1, torch.rand(k) * 0.1
    p, q = (h + 2 * pad - r) // st + 1, (w + 2 * pad - s) // st + 1
    dy = torch.rand(n, k, p, q)
    flops = 2.0 * n * k * p * q * c * r * s
    if direction == "fwd":
        return (lambda: F.conv2d(x, wt, bias, st, pad)), flops
    mask = [True, False, False] if direction == "bwdData" else [False, True, True]
    # what autograd calls for Conv2d's backward (oneDNN on this build)
    return (lambda: torch.ops.aten.convolution_backward(dy, x, wt, [k], [st, st], [pad, pad], [1, 1], False, [0, 0], 1,
                                                          mask)), flops


def net(name, mode, batch):
    make, side, lr = NETS[name]
    torch.manual_seed(0)
    model = make()
    x = torch.rand(batch, 1, side, side)
    y = torch.randint(0, 10, (batch,))
    if mode == "infer":
        model.eval()

        def infer():
            with torch.no_grad():
                return model(x)
        return infer, 0.0
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss = nn.CrossEntropyLoss()

    def step():
        l = loss(model(x), y)
        opt.zero_grad()
        l.backward()
        opt.step()
        return l
    return step, 0.0


def measure(f, warm, budget):
    start = time.perf_counter()
    i = 0
    while i < 2 or time.perf_counter() - start < warm:
        f()
        i += 1
    runs = []
    start = time.perf_counter()
    while len(runs) < 3 or (time.perf_counter() - start < budget and len(runs) < 1000):
        t0 = time.perf_counter()
        f()
        runs.append(time.perf_counter() - t0)
    runs.sort()
    return runs[len(runs) // 2], len(runs)


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory(name, batch, steps, threads):
    """Peak memory of training steps: the process's peak resident set (ru_maxrss) minus its resident set
    before the net and the batch were made (torch already loaded); so parameters, gradients, the batch and
    the activations, as far as the allocator holds them. Run in a fresh process per net."""
    torch.set_num_threads(threads)
    base = rss_bytes()
    step, _ = net(name, "train", batch)
    for _ in range(steps):
        step()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"memory {name} {batch}\t{(peak - base) / 1048576:.0f}", flush=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--memory":  # --memory NAME BATCH STEPS THREADS
        memory(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return
    warm, budget = 0.5, 1.0
    for a in sys.argv[1:]:
        if a.startswith("--warmup="):
            warm = float(a[9:])
        elif a.startswith("--time="):
            budget = float(a[7:])
    torch.set_grad_enabled(True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        f = line.split()
        if f[0] == "peak":
            print(f"{line}\tnan\tnan\t0", flush=True)
            continue
        threads = int(f[2] if f[0] == "gemm" else f[3])
        torch.set_num_threads(threads)
        if f[0] == "gemm":
            fn, flops = gemm(f[1])
        elif f[0] == "conv":
            fn, flops = conv(f[1], f[2], int(f[4]))
        else:
            fn, flops = net(f[1], f[2], int(f[4]) or {"lenet": 256}.get(f[1], 128))
        secs, n = measure(fn, warm, budget)
        print(f"{line}\t{secs:.6g}\t{flops:.6g}\t{n}", flush=True)


if __name__ == "__main__":
    main()
