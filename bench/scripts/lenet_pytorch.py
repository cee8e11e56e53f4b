#!/usr/bin/python3
"""LeNet training throughput with PyTorch on this machine, for side-by-side comparison with d2l4j.

Measures what d2l's train_ch6 times (forward, loss, backward, SGD step per batch) on random data of
Fashion-MNIST's shape, batch 256, at the given thread counts. Run with Debian's python3-torch:
    /usr/bin/python3 bench/scripts/lenet_pytorch.py 1 2
Prints one line per thread count: 'pytorch lenet train threads=N: X examples/sec'.
"""
import sys
import time

import torch
from torch import nn


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10))


def measure(threads, batch=256, warmup=20, steps=150):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = lenet()
    opt = torch.optim.SGD(net.parameters(), lr=0.9)
    loss = nn.CrossEntropyLoss()
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    for i in range(warmup + steps):
        if i == warmup:
            t0 = time.perf_counter()
        opt.zero_grad()
        l = loss(net(x), y)
        l.backward()
        opt.step()
    return steps * batch / (time.perf_counter() - t0)


if __name__ == "__main__":
    for t in [int(a) for a in sys.argv[1:]] or [1, 2]:
        print(f"pytorch {torch.__version__} lenet train threads={t}: {measure(t):.0f} examples/sec", flush=True)
