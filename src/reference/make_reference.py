#!/usr/bin/python3
"""PyTorch reference outputs for d2l4j's tests.

Run from anywhere:  /usr/bin/python3 src/reference/make_reference.py
(needs Debian's python3-torch and dataset-fashion-mnist; see README.md next to this file).

Writes src/reference/data/<op>_<k>.safetensors, one file per case. Every value the script feeds in
comes from HashFill (below), a hash both sides implement bit for bit (Java: d2l4j.tensor.HashFill),
except the LeNet inputs, which are real Fashion-MNIST images. For every differentiable case the
scalar loss is L = sum(y * gy) with gy a HashFill tensor, so dL/dy = gy, and the file stores the
gradients of L with respect to every input and parameter (gx, gweight, gbias).

Seeds: case k of an op with base B uses seed B + 10*k + j for tensor j:
  x: j=0, weight: j=1, bias: j=2, gy: j=3, labels: j=4.
Each file's metadata names the seed and scale of every HashFill tensor ("seed.x", "scale.x", ...).
"""
import gzip
import json
import math
import os
import struct
from fractions import Fraction

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

# ---------------------------------------------------------------------------------------------
# HashFill: integer-exact, the same on both sides.
#   x = uint32(i*0x9E3779B1 + seed*0x85EBCA77); x ^= x>>15; x = uint32(x*0x2C1B3C6D);
#   x ^= x>>12; x = uint32(x*0x297A2D39); x ^= x>>15
#   u = (x>>8) * 2^-24                      exact float32 in [0, 1)
#   value = float32(float32(2u - 1) * scale)   in [-scale, scale)
# ---------------------------------------------------------------------------------------------
M32 = np.uint64(0xFFFFFFFF)


def hash_bits(seed, n):
    i = np.arange(n, dtype=np.uint64)
    s = np.uint64((seed * 0x85EBCA77) & 0xFFFFFFFF)
    x = (i * np.uint64(0x9E3779B1) + s) & M32
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(0x2C1B3C6D)) & M32
    x ^= x >> np.uint64(12)
    x = (x * np.uint64(0x297A2D39)) & M32
    x ^= x >> np.uint64(15)
    return x


def hash_unit(seed, n):
    """u in [0, 1), float32, exact."""
    return (hash_bits(seed, n) >> np.uint64(8)).astype(np.float32) * np.float32(2.0 ** -24)


def hash_uniform(seed, n, scale):
    """float32 values in [-scale, scale); 2u-1 is exact in float32, the product rounds once."""
    u = hash_unit(seed, n)
    return (np.float32(2.0) * u - np.float32(1.0)) * np.float32(scale)


def f32str(v):
    """Shortest decimal that reads back (Float.parseFloat) as the same float32."""
    return np.format_float_positional(np.float32(v), unique=True, trim="-")


# ---------------------------------------------------------------------------------------------
# safetensors writer (the format: 8-byte LE header length, JSON header, LE data buffer)
# ---------------------------------------------------------------------------------------------
DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64", np.dtype(np.int32): "I32"}


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}}
    blobs, offset = [], 0
    for name, arr in tensors.items():
        arr = np.array(arr, order="C", copy=False)  # (ascontiguousarray would make [] into [1])
        dtype = DTYPES[arr.dtype]
        blob = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": [int(d) for d in arr.shape],
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)  # pad so the data buffer starts 8-aligned, as the spec does
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


def t(arr):
    return torch.from_numpy(np.array(arr, dtype=np.float32, copy=True))


def npy(tensor):
    return tensor.detach().numpy().astype(np.float32, copy=True)


class Case:
    """Collects HashFill tensors, their seeds and scales, and the metadata of one case file."""

    def __init__(self, op, base, k):
        self.op, self.k, self.base = op, k, base
        self.meta = {"op": op, "case": str(k), "torch_version": torch.__version__}
        self.tensors = {}

    def hash(self, name, j, shape, scale):
        seed = self.base + 10 * self.k + j
        self.meta["seed." + name] = str(seed)
        self.meta["scale." + name] = f32str(scale)
        return hash_uniform(seed, int(np.prod(shape)), scale).reshape(shape)

    def labels(self, n, classes):
        seed = self.base + 10 * self.k + 4
        self.meta["seed.labels"] = str(seed)
        self.meta["labels"] = "floor(HashFill.unit(seed.labels, N)[i] * %d) as int64" % classes
        u = hash_unit(seed, n)
        return np.floor(u * np.float32(classes)).astype(np.int64)

    def save(self):
        self.meta["loss"] = self.meta.get("loss", "L = sum(y * gy); gx, gweight, gbias = dL/d.")
        write_safetensors(os.path.join(DATA, "%s_%d.safetensors" % (self.op, self.k)),
                          self.tensors, self.meta)


def run_differentiable(case, fn, inputs):
    """inputs: ordered {name: numpy}; y = fn(**tensors); stores inputs, y, gy and g<name>."""
    ts = {name: t(a).requires_grad_(True) for name, a in inputs.items()}
    y = fn(**ts)
    gy = case.hash("gy", 3, tuple(y.shape), 1.0)
    (y * t(gy)).sum().backward()
    for name, a in inputs.items():
        case.tensors[name] = a
    case.tensors["y"] = npy(y)
    case.tensors["gy"] = gy
    for name in inputs:
        case.tensors["g" + name] = npy(ts[name].grad)
    case.save()


def bound(fan_in):
    return np.float32(1.0 / math.sqrt(fan_in))


# ---------------------------------------------------------------------------------------------
# Ops
# ---------------------------------------------------------------------------------------------
def conv2d_cases():
    # (N, C, H, W, K, R, S, (stride_h, stride_w), (pad_h, pad_w))
    configs = [(1, 1, 28, 28, 6, 5, 5, (1, 1), (2, 2)),   # LeNet's first
               (2, 6, 14, 14, 16, 5, 5, (1, 1), (0, 0)),  # LeNet's second
               (2, 3, 7, 9, 4, 3, 3, (2, 2), (1, 1)),
               (3, 2, 8, 7, 5, 3, 2, (2, 1), (1, 0)),
               (2, 4, 5, 5, 3, 1, 1, (1, 1), (0, 0)),
               (1, 3, 6, 6, 2, 3, 3, (3, 3), (1, 1))]
    for k, (n, c, h, w, kk, r, s, stride, pad) in enumerate(configs):
        case = Case("conv2d", 100, k)
        b = bound(c * r * s)
        inputs = {"x": case.hash("x", 0, (n, c, h, w), 1.0),
                  "weight": case.hash("weight", 1, (kk, c, r, s), b),
                  "bias": case.hash("bias", 2, (kk,), b)}
        case.meta.update(in_channels=str(c), out_channels=str(kk), kernel_h=str(r),
                         kernel_w=str(s), stride_h=str(stride[0]), stride_w=str(stride[1]),
                         pad_h=str(pad[0]), pad_w=str(pad[1]))
        run_differentiable(case, lambda x, weight, bias: F.conv2d(x, weight, bias, stride, pad),
                           inputs)


def linear_cases():
    for k, (n, c, kk) in enumerate([(1, 5, 3), (4, 400, 120), (3, 17, 10)]):
        case = Case("linear", 200, k)
        b = bound(c)
        inputs = {"x": case.hash("x", 0, (n, c), 1.0),
                  "weight": case.hash("weight", 1, (kk, c), b),
                  "bias": case.hash("bias", 2, (kk,), b)}
        case.meta.update(in_features=str(c), out_features=str(kk))
        run_differentiable(case, F.linear, inputs)


# (N, C, H, W, R, S, stride, pad)
POOL_CONFIGS = [(2, 6, 28, 28, 2, 2, 2, 0),
                (1, 3, 7, 9, 2, 2, 2, 0),
                (2, 2, 9, 9, 3, 3, 2, 1),
                (3, 1, 5, 6, 3, 3, 1, 1)]
MAXPOOL_EXTRA = [(1, 2, 13, 13, 3, 3, 2, 0)]  # overlapping windows


def pool_meta(case, r, s, stride, pad):
    case.meta.update(kernel_h=str(r), kernel_w=str(s), stride_h=str(stride), stride_w=str(stride),
                     pad_h=str(pad), pad_w=str(pad))


def check_no_ties(x, r, s, stride, pad):
    xt = F.pad(t(x), (pad, pad, pad, pad), value=-math.inf)
    win = xt.unfold(2, r, stride).unfold(3, s, stride)  # N,C,P,Q,R,S
    win = win.reshape(*win.shape[:4], -1)
    top = win.max(dim=-1, keepdim=True).values
    assert int((win == top).sum(dim=-1).max()) == 1, "tie for a window's maximum"


def avgpool2d_cases():
    for k, (n, c, h, w, r, s, stride, pad) in enumerate(POOL_CONFIGS):
        case = Case("avgpool2d", 300, k)
        pool_meta(case, r, s, stride, pad)
        case.meta.update(count_include_pad="true", ceil_mode="false")
        run_differentiable(case, lambda x: F.avg_pool2d(x, (r, s), stride, pad, ceil_mode=False,
                                                        count_include_pad=True),
                           {"x": case.hash("x", 0, (n, c, h, w), 1.0)})


def maxpool2d_cases():
    for k, (n, c, h, w, r, s, stride, pad) in enumerate(POOL_CONFIGS + MAXPOOL_EXTRA):
        case = Case("maxpool2d", 400, k)
        pool_meta(case, r, s, stride, pad)
        case.meta.update(ceil_mode="false", padding_value="-inf")
        x = case.hash("x", 0, (n, c, h, w), 1.0)
        check_no_ties(x, r, s, stride, pad)
        run_differentiable(case, lambda x: F.max_pool2d(x, (r, s), stride, pad), {"x": x})


def elementwise_cases(op, base, fn):
    for k, shape in enumerate([(2, 3, 5, 7), (1, 17)]):
        case = Case(op, base, k)
        x = case.hash("x", 0, shape, 2.0)
        assert not (x == 0).any(), "an input is exactly 0"
        run_differentiable(case, fn, {"x": x})


def flatten_cases():
    case = Case("flatten", 700, 0)
    case.meta.update(start_dim="1", end_dim="-1")
    run_differentiable(case, lambda x: torch.flatten(x, 1),
                       {"x": case.hash("x", 0, (2, 3, 4, 5), 1.0)})


def cross_entropy_cases():
    for k, (n, scale) in enumerate([(1, 4.0), (5, 4.0), (7, 4.0), (6, 1000.0)]):
        case = Case("cross_entropy", 800, k)
        x = case.hash("x", 0, (n, 10), scale)
        labels = case.labels(n, 10)
        xt = t(x).requires_grad_(True)
        y = F.cross_entropy(xt, torch.from_numpy(labels), reduction="mean")
        y.backward()
        assert math.isfinite(float(y))
        case.tensors.update(x=x, labels=labels, y=npy(y), gy=np.ones((), np.float32),
                            gx=npy(xt.grad))
        case.meta.update(classes="10", reduction="mean",
                         loss="L = y (the mean cross-entropy); gy = 1 (shape []); gx = dL/dx.")
        case.save()


def sgd_cases():
    case = Case("sgd", 900, 0)
    w = case.hash("w", 0, (1000,), 1.0)
    g = case.hash("g", 1, (1000,), 1.0)
    lr = 0.9
    p = nn.Parameter(t(w))
    p.grad = t(g)
    torch.optim.SGD([p], lr=lr).step()
    case.tensors.update(w=w, g=g, w_new=npy(p))
    # torch's add_(g, alpha=-lr) fuses multiply and add on CPUs with FMA; say whether it did here
    lr32 = Fraction(float(np.float32(lr)))
    fused = np.array([float(Fraction(float(wi)) - lr32 * Fraction(float(gi)))
                      for wi, gi in zip(w, g)]).astype(np.float32)
    is_fma = bool((fused == case.tensors["w_new"]).all())
    case.meta.update(lr=str(lr), momentum="0", weight_decay="0",
                     rule="w_new = w - lr * g (torch.optim.SGD.step: w.add_(g, alpha=-lr))",
                     fma=str(is_fma).lower(),
                     fma_note="fma = true: w_new is exactly Math.fma(-0.9f, g, w), one rounding; "
                              "w + (-0.9f * g), two roundings, then differs in the last bit of "
                              "about a quarter of the values",
                     loss="none: w and g are HashFill (seed.w, seed.g); w_new is the SGD step.")
    case.save()


# ---------------------------------------------------------------------------------------------
# LeNet exactly as d2l-en 0.17.5's PyTorch code (section 6.6): inputs already (N, 1, 28, 28),
# so the state_dict names are 0.weight, 0.bias, 3.weight, ..., 11.bias
# ---------------------------------------------------------------------------------------------
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


LENET_INIT = ("parameter i (0-based, state_dict order) = HashFill.uniform(seed = 1000 + i, numel, "
              "bound) reshaped to its shape; weights: bound = "
              "float32(sqrt(6 / (fan_in + fan_out))) (Xavier uniform; conv fan_in = C*R*S, fan_out = K*R*S; linear fan_in = in, "
              "fan_out = out); biases: bound = float32(1 / sqrt(fan_in)) with the fan_in of their "
              "layer; bounds computed in float64, then rounded to float32")


def lenet_init(net, meta):
    """Sets the formula's weights; returns the state_dict names in order."""
    names = []
    params = dict(net.named_parameters())
    fans = {}
    for name, p in params.items():
        if name.endswith(".weight"):
            w = p.shape
            rs = int(np.prod(w[2:])) if len(w) == 4 else 1
            fans[name[:-len(".weight")]] = (w[1] * rs, w[0] * rs)
    for i, name in enumerate(net.state_dict().keys()):
        layer, kind = name.rsplit(".", 1)
        fan_in, fan_out = fans[layer]
        if kind == "weight":
            b = np.float32(math.sqrt(6.0 / (fan_in + fan_out)))
        else:
            b = np.float32(1.0 / math.sqrt(fan_in))
        p = params[name]
        values = hash_uniform(1000 + i, p.numel(), b).reshape(tuple(p.shape))
        with torch.no_grad():
            p.copy_(t(values))
        meta["init.seed." + name] = str(1000 + i)
        meta["init.bound." + name] = f32str(b)
        meta["init.fan_in." + name] = str(fan_in)
        meta["init.fan_out." + name] = str(fan_out)
        names.append(name)
    meta["state_dict"] = ",".join(names)
    meta["init"] = LENET_INIT
    return names


def read_idx(name, magic):
    with gzip.open(os.path.join(FASHION_MNIST, name), "rb") as f:
        raw = f.read()
    ndim = raw[3]
    got_magic, = struct.unpack(">I", raw[:4])
    assert got_magic == magic, (name, got_magic)
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion_mnist_train(count):
    images = read_idx("train-images-idx3-ubyte.gz", 2051)[:count]
    labels = read_idx("train-labels-idx1-ubyte.gz", 2049)[:count]
    x = images.astype(np.float32).reshape(count, 1, 28, 28) / np.float32(255.0)
    return x.astype(np.float32), labels.astype(np.int64)


def param_sums(net, names, prefix, tensors, meta):
    state = net.state_dict()
    for name in names:
        s = math.fsum(float(v) for v in state[name].numpy().ravel())
        tensors[prefix + name] = np.array(s, dtype=np.float32)
        meta[prefix + name] = repr(s)


LENET_META = {
    "architecture": "Sequential(0 Conv2d(1,6,5,padding=2), 1 Sigmoid, "
                    "2 AvgPool2d(2,2), 3 Conv2d(6,16,5), 4 Sigmoid, 5 AvgPool2d(2,2), 6 Flatten, "
                    "7 Linear(400,120), 8 Sigmoid, 9 Linear(120,84), 10 Sigmoid, "
                    "11 Linear(84,10))",
    "checksum": "init_sum.<name> = the sum of the initial parameter, exact (math.fsum) in float64 "
                "(metadata, repr) and rounded to float32 (tensor, shape [])",
    "input": "Fashion-MNIST training images in file order, pixel / 255 as float32, (N,1,28,28); "
             "labels their real labels (int64)",
}


def lenet_cases():
    case = Case("lenet", 1000, 0)
    net = lenet()
    case.meta.update(LENET_META)
    names = lenet_init(net, case.meta)
    param_sums(net, names, "init_sum.", case.tensors, case.meta)
    x, labels = fashion_mnist_train(8)
    logits = net(t(x))
    loss = F.cross_entropy(logits, torch.from_numpy(labels))
    loss.backward()
    case.tensors.update(x=x, labels=labels, logits=npy(logits), loss=npy(loss))
    params = dict(net.named_parameters())
    for name in names:
        case.tensors["grad." + name] = npy(params[name].grad)
    case.meta.update(batch_size="8", images="0..7",
                     loss="loss = F.cross_entropy(logits, labels) (mean); grad.<name> = "
                          "d loss / d <name> at the initial weights")
    case.save()


def lenet_sgd20_cases():
    steps, batch, lr = 20, 256, 0.9
    case = Case("lenet_sgd20", 1100, 0)
    net = lenet()
    case.meta.update(LENET_META)
    names = lenet_init(net, case.meta)
    param_sums(net, names, "init_sum.", case.tensors, case.meta)
    x, labels = fashion_mnist_train(steps * batch)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        xb = t(x[step * batch:(step + 1) * batch])
        yb = torch.from_numpy(labels[step * batch:(step + 1) * batch])
        loss = F.cross_entropy(net(xb), yb)
        losses.append(float(loss))
        opt.zero_grad()
        loss.backward()
        opt.step()
    case.tensors["losses"] = np.array(losses, dtype=np.float32)
    param_sums(net, names, "final_sum.", case.tensors, case.meta)
    case.meta.update(lr=str(lr), batch_size=str(batch), steps=str(steps),
                     loss="losses[t] = F.cross_entropy (mean) of step t's forward pass, before "
                          "its update; step t uses training images [256t, 256t+256) in file "
                          "order; final_sum.<name> = sums of the parameters after the 20 steps")
    case.save()


def hashfill_cases():
    """Vectors for the Java HashFill test: values stored, seeds and scales in metadata."""
    tensors, meta = {}, {"op": "hashfill",
                         "formula": "see README.md; unit.<seed> = HashFill.unit(seed, n), "
                                    "uniform.<seed>.<scale> = HashFill.uniform(seed, n, scale)"}
    for seed in [0, 1, 7, 1000, -5, 2147483647]:
        tensors["unit.%d" % seed] = hash_unit(seed, 37)
    for seed, scale in [(0, 1.0), (3, 0.5), (42, 2.0), (-1, 1000.0), (1009, 0.19245009)]:
        tensors["uniform.%d.%s" % (seed, f32str(scale))] = hash_uniform(seed, 53, scale)
    tensors["bits.123"] = hash_bits(123, 16).astype(np.int64)
    write_safetensors(os.path.join(DATA, "hashfill_0.safetensors"), tensors, meta)


def main():
    os.makedirs(DATA, exist_ok=True)
    hashfill_cases()
    conv2d_cases()
    linear_cases()
    avgpool2d_cases()
    maxpool2d_cases()
    elementwise_cases("sigmoid", 500, torch.sigmoid)
    elementwise_cases("relu", 600, torch.relu)
    flatten_cases()
    cross_entropy_cases()
    sgd_cases()
    lenet_cases()
    lenet_sgd20_cases()


if __name__ == "__main__":
    main()
