#!/usr/bin/python3
"""PyTorch reference outputs for d2l4j's tests.

Run from anywhere:  /usr/bin/python3 src/reference/make_reference.py
(needs Debian's python3-torch and dataset-fashion-mnist; see README.md next to this file).

Writes src/reference/data/<op>_<k>.safetensors, one file per case. Every value the script feeds in
comes from HashFill (below), a hash both sides implement bit for bit (Java: d2l4j.testkit.HashFill),
except the inputs of LeNet, resize and the modern CNNs (AlexNet, VGG, NiN, GoogLeNet), which are
real Fashion-MNIST images; the nets' weights come from HashFill too (seed 2000 + i), and their big
gradients are stored as a norm plus 512 HashFill-chosen samples (see README.md). For every differentiable case the
scalar loss is L = sum(y * gy) with gy a HashFill tensor, so dL/dy = gy, and the file stores the
gradients of L with respect to every input and parameter (gx, gweight, gbias).

Seeds: case k of an op with base B uses seed B + 10*k + j for tensor j:
  x: j=0, weight: j=1, bias: j=2, gy: j=3, labels: j=4 (concat's x<i>: j=5+i; resize's y_idx: 5).
Each file's metadata names the seed and scale of every HashFill tensor ("seed.x", "scale.x", ...).
"""
import copy
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


def hash_bits(seed, n, start=0):
    """Elements [start, start + n) of the sequence (hash_unit chunks big tensors with it)."""
    i = np.arange(start, start + n, dtype=np.uint64)
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
    chunk = 1 << 22
    if n > chunk:  # the same values, in pieces, so 26M-element weights need little memory
        return np.concatenate([hash_unit_range(seed, s, min(chunk, n - s))
                               for s in range(0, n, chunk)])
    return hash_unit_range(seed, 0, n)


def hash_unit_range(seed, start, n):
    return (hash_bits(seed, n, start) >> np.uint64(8)).astype(np.float32) * np.float32(2.0 ** -24)


def hash_index(seed, n, numel):
    """floor(HashFill.unit(seed, n)[j] * numel) as int64, in integers: ((bits >> 8) * numel) >> 24
    (the same as floor((double) u * numel), which is exact in float64)."""
    m = hash_bits(seed, n) >> np.uint64(8)
    return ((m * np.uint64(numel)) >> np.uint64(24)).astype(np.int64)


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
MAXPOOL_EXTRA = [(1, 2, 13, 13, 3, 3, 2, 0),  # 4: overlapping windows
                 (2, 3, 8, 8, 3, 3, 2, 1),    # 5: GoogLeNet's 3x3 s2 p1
                 (1, 2, 7, 7, 2, 2, 2, 0)]    # 6: 2x2 s2 on odd 7x7 (the last row/column dropped)


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


def lenet_init(net, meta, seed0=1000, init_text=LENET_INIT):
    """Sets the formula's weights (parameter i from seed seed0 + i); returns the state_dict names
    in order."""
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
        values = hash_uniform(seed0 + i, p.numel(), b).reshape(tuple(p.shape))
        with torch.no_grad():
            p.copy_(torch.from_numpy(values))
        meta["init.seed." + name] = str(seed0 + i)
        meta["init.bound." + name] = f32str(b)
        meta["init.fan_in." + name] = str(fan_in)
        meta["init.fan_out." + name] = str(fan_out)
        names.append(name)
    meta["state_dict"] = ",".join(names)
    meta["init"] = init_text
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
        s = math.fsum(state[name].numpy().ravel().tolist())  # float32 -> exact float64
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


def adaptive_avgpool2d_cases():
    # (N, C, H, W, out_h, out_w); bin i covers rows [floor(i*H/out_h), ceil((i+1)*H/out_h))
    configs = [(2, 3, 7, 7, 1, 1), (1, 4, 5, 5, 1, 1), (2, 2, 9, 7, 3, 2), (1, 3, 6, 6, 4, 4)]
    for k, (n, c, h, w, oh, ow) in enumerate(configs):
        case = Case("adaptive_avgpool2d", 1200, k)
        case.meta.update(out_h=str(oh), out_w=str(ow),
                         bins="output (i, j) = mean of rows [floor(i*H/out_h), ceil((i+1)*H/out_h))"
                              " x columns [floor(j*W/out_w), ceil((j+1)*W/out_w))")
        run_differentiable(case, lambda x: F.adaptive_avg_pool2d(x, (oh, ow)),
                           {"x": case.hash("x", 0, (n, c, h, w), 1.0)})


def concat_cases():
    # (N, H, W, channels of each input); x<i> has seed base + 10k + 5 + i
    for k, (n, h, w, chans) in enumerate([(2, 5, 6, (2, 3, 1, 4)), (1, 4, 5, (3, 2))]):
        case = Case("concat", 1300, k)
        names = ["x%d" % i for i in range(len(chans))]
        inputs = {name: case.hash(name, 5 + i, (n, c, h, w), 1.0)
                  for i, (name, c) in enumerate(zip(names, chans))}
        case.meta.update(inputs=str(len(chans)), dim="1",
                         channels=",".join(str(c) for c in chans),
                         loss="L = sum(y * gy); gx<i> = dL/dx<i> (y = torch.cat([x0, x1, ...], 1))")
        run_differentiable(case, lambda **xs: torch.cat([xs[name] for name in names], 1), inputs)


def dropout_cases():
    for k, (shape, p) in enumerate([((2, 3, 4, 5), 0.5), ((1, 17), 0.3)]):
        case = Case("dropout", 1400, k)
        x = case.hash("x", 0, shape, 1.0)
        case.meta.update(p=str(p), mode="eval",
                         eval_contract="eval mode (net.eval()): y = x exactly and gx = gy",
                         train_contract="train mode: each element is zeroed with probability p "
                                        "(independently) and every survivor is scaled by "
                                        "1 / (1 - p), so E[y] = x; gx = gy * mask / (1 - p) with "
                                        "the same mask; p = 1 zeroes everything, p = 0 is the "
                                        "identity")
        run_differentiable(case, lambda x: F.dropout(x, p, training=False), {"x": x})
        assert (case.tensors["y"] == x).all() and (case.tensors["gx"] == case.tensors["gy"]).all()


def resize(x, size):
    """d2l's image resize for upsampling: bilinear, align_corners=False (half-pixel centres)."""
    return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)


def pil_resize(images, size):
    """What d2l 0.17.5 really runs: transforms.Resize before ToTensor, i.e. on the PIL image
    (uint8, PIL's fixed-point bilinear), then / 255."""
    from PIL import Image
    out = [np.asarray(Image.fromarray(img).resize((size, size), Image.BILINEAR))
           for img in images[:, 0]]
    return (np.stack(out)[:, None].astype(np.float32) / np.float32(255.0)).astype(np.float32)


def resize_cases():
    x, _ = fashion_mnist_train(2)
    raw = read_idx("train-images-idx3-ubyte.gz", 2051)[:2].reshape(2, 1, 28, 28)
    for k, size in enumerate([224, 96]):
        case = Case("resize", 1500, k)
        y = resize(t(x), size)
        # torchvision's tensor Resize(size) calls exactly this interpolate (antialias=False, its
        # default for tensors until torchvision 0.17); antialias=True takes another kernel whose
        # upsampling weights are the same triangle filter, so it differs only by rounding
        y_aa = F.interpolate(t(x), size=(size, size), mode="bilinear", align_corners=False,
                             antialias=True)
        aa_diff = float((y - y_aa).abs().max())
        assert aa_diff < 2e-6, aa_diff
        y = npy(y)
        y_pil = pil_resize(raw, size)
        diff = np.abs(y_pil.astype(np.float64) - y)
        case.tensors["x"] = x
        case.meta.update(size=str(size), mode="bilinear", align_corners="false",
                         input="the first 2 Fashion-MNIST training images, pixel / 255, float32",
                         rule="y = F.interpolate(x, (size, size), mode='bilinear', "
                              "align_corners=False): source coordinate (i + 0.5) * 28 / size - 0.5"
                              ", clamped below at 0; the neighbour index clamped to 27",
                         torchvision="torchvision.transforms.Resize(size) on a float tensor "
                                     "calls this interpolate (antialias=False, the tensor default "
                                     "before torchvision 0.17); antialias=True computes the same "
                                     "triangle weights when upsampling by another kernel: equal "
                                     "up to rounding, max abs diff antialias_max_abs_diff",
                         antialias_max_abs_diff=repr(aa_diff),
                         pil_note="d2l 0.17.5 inserts Resize before ToTensor, so it resizes the "
                                  "uint8 PIL image (PIL bilinear, rounded to uint8) and then "
                                  "divides by 255; that differs from y by at most "
                                  "pil_max_abs_diff (y_pil*: PIL's values)",
                         pil_max_abs_diff=repr(float(diff.max())),
                         pil_mean_abs_diff=repr(float(diff.mean())))
        if size <= 96:
            case.tensors["y"] = y
            case.tensors["y_pil"] = y_pil
        else:
            s = math.fsum(y.ravel().tolist())
            idx = hash_index(1505 + 10 * k, 4096, y.size)
            case.tensors["y_sum"] = np.array(s, dtype=np.float32)
            case.tensors["y_idx"] = idx
            case.tensors["y_sample"] = y.ravel()[idx]
            case.tensors["y_pil_sample"] = y_pil.ravel()[idx]
            case.meta.update(y_sum=repr(s), y_shape=str(list(y.shape)),
                             **{"seed.y_idx": str(1505 + 10 * k)},
                             y_idx="floor(HashFill.unit(seed.y_idx, 4096)[j] * numel(y)) as int64"
                                   ", indices into y flattened row-major; y_sample = y there; "
                                   "y_sum = sum of all of y, exact (math.fsum) in float64 "
                                   "(metadata) and rounded to float32 (tensor)")
        case.meta["loss"] = "none: a forward-only preprocessing op"
        case.save()


# ---------------------------------------------------------------------------------------------
# The four nets of d2l-en 0.17.5's "Modern CNNs" chapter (sections 7.1-7.4), as its PyTorch code
# ---------------------------------------------------------------------------------------------
def alexnet():
    return nn.Sequential(
        nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Flatten(),
        nn.Linear(6400, 4096), nn.ReLU(),
        nn.Dropout(p=0.5),
        nn.Linear(4096, 4096), nn.ReLU(),
        nn.Dropout(p=0.5),
        nn.Linear(4096, 10))


def vgg_block(num_convs, in_channels, out_channels):
    layers = []
    for _ in range(num_convs):
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


def vgg(conv_arch):
    conv_blks = []
    in_channels = 1
    for (num_convs, out_channels) in conv_arch:
        conv_blks.append(vgg_block(num_convs, in_channels, out_channels))
        in_channels = out_channels
    return nn.Sequential(
        *conv_blks, nn.Flatten(),
        nn.Linear(out_channels * 7 * 7, 4096), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(4096, 10))


CONV_ARCH = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))
SMALL_CONV_ARCH = [(pair[0], pair[1] // 4) for pair in CONV_ARCH]  # d2l's ratio = 4


def vgg_small():
    return vgg(SMALL_CONV_ARCH)


def nin_block(in_channels, out_channels, kernel_size, strides, padding):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, strides, padding),
        nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU())


def nin():
    return nn.Sequential(
        nin_block(1, 96, kernel_size=11, strides=4, padding=0),
        nn.MaxPool2d(3, stride=2),
        nin_block(96, 256, kernel_size=5, strides=1, padding=2),
        nn.MaxPool2d(3, stride=2),
        nin_block(256, 384, kernel_size=3, strides=1, padding=1),
        nn.MaxPool2d(3, stride=2),
        nn.Dropout(0.5),
        nin_block(384, 10, kernel_size=3, strides=1, padding=1),
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten())


class Inception(nn.Module):
    # c1--c4 are the number of output channels for each path
    def __init__(self, in_channels, c1, c2, c3, c4, **kwargs):
        super(Inception, self).__init__(**kwargs)
        self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
        self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)

    def forward(self, x):
        p1 = F.relu(self.p1_1(x))
        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
        p4 = F.relu(self.p4_2(self.p4_1(x)))
        return torch.cat((p1, p2, p3, p4), dim=1)


def googlenet():
    b1 = nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3),
                       nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b2 = nn.Sequential(nn.Conv2d(64, 64, kernel_size=1), nn.ReLU(),
                       nn.Conv2d(64, 192, kernel_size=3, padding=1), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b3 = nn.Sequential(Inception(192, 64, (96, 128), (16, 32), 32),
                       Inception(256, 128, (128, 192), (32, 96), 64),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b4 = nn.Sequential(Inception(480, 192, (96, 208), (16, 48), 64),
                       Inception(512, 160, (112, 224), (24, 64), 64),
                       Inception(512, 128, (128, 256), (24, 64), 64),
                       Inception(512, 112, (144, 288), (32, 64), 64),
                       Inception(528, 256, (160, 320), (32, 128), 128),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b5 = nn.Sequential(Inception(832, 256, (160, 320), (32, 128), 128),
                       Inception(832, 384, (192, 384), (48, 128), 128),
                       nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
    return nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(1024, 10))


# name: (constructor, input size, d2l's lr, section, largest gradient stored in full)
# GoogLeNet's 116 parameters would make a 1 MB file with 20000, so only its biases go in full.
NETS = {"alexnet": (alexnet, 224, 0.01, "7.1", 20000), "vgg": (vgg_small, 224, 0.05, "7.2", 20000),
        "nin": (nin, 224, 0.1, "7.3", 20000), "googlenet": (googlenet, 96, 0.1, "7.4", 2048)}
NET_SEED0, GRADIDX_SEED0, GRAD_SAMPLES = 2000, 3000, 512
NET_INIT = LENET_INIT.replace("1000 + i", "%d + i" % NET_SEED0)
_net_init_cache = {}


def formula_net(name, meta):
    """A fresh net with the formula's weights (computed once per net, then copied), in eval mode,
    and its state_dict names."""
    net = NETS[name][0]()
    if name not in _net_init_cache:
        init_meta = {}
        names = lenet_init(net, init_meta, NET_SEED0, NET_INIT)
        state = {k: v.clone() for k, v in net.state_dict().items()}
        _net_init_cache[name] = (names, init_meta, state)
    names, init_meta, state = _net_init_cache[name]
    net.load_state_dict(state)
    net.eval()
    meta.update(init_meta)
    return net, names


def net_images(size, first, count):
    x, labels = fashion_mnist_train(first + count)
    return resize(t(x[first:]), size), torch.from_numpy(labels[first:]), x[first:]


def net_meta(name, net, meta):
    size, lr, section, _ = NETS[name][1:]
    shapes, counts = [], []
    with torch.no_grad():
        x = net_images(size, 0, 1)[0]
        for child in net.children():
            x = child(x)
            shapes.append("%s %s" % (child.__class__.__name__, list(x.shape)))
            counts.append(str(sum(p.numel() for p in child.parameters())))
    meta.update(
        net=name, d2l_section="d2l-en 0.17.5 section %s (PyTorch)" % section,
        param_count=str(sum(p.numel() for p in net.parameters())),
        shapes=";".join(shapes), child_params=";".join(counts),
        shapes_note="shapes: each top-level child's class name and output shape for a "
                    "(1, 1, %d, %d) input, as d2l's shape loop prints them; child_params: "
                    "each child's parameter count, same order" % (size, size),
        input="Fashion-MNIST training images in file order, pixel / 255 as float32 (images: "
              "(N,1,28,28)), resized with F.interpolate(images, (%d, %d), mode='bilinear', "
              "align_corners=False) (see resize_*), labels their real labels" % (size, size),
        input_size=str(size), mode="net.eval(): dropout off",
        checksum="init_sum.<name> = the sum of the initial parameter, exact (math.fsum) in "
                 "float64 (metadata, repr) and rounded to float32 (tensor, shape [])")


def grad_entries(names, net, full_max, tensors, meta):
    params = dict(net.named_parameters())
    for i, name in enumerate(names):
        g = params[name].grad.numpy()
        if g.size <= full_max:
            tensors["grad." + name] = npy(params[name].grad)
            continue
        norm = math.sqrt(math.fsum(v * v for v in g.astype(np.float64).ravel().tolist()))
        idx = hash_index(GRADIDX_SEED0 + i, GRAD_SAMPLES, g.size)
        tensors["gradnorm." + name] = np.array(norm, dtype=np.float32)
        tensors["gradidx." + name] = idx
        tensors["gradsample." + name] = g.ravel()[idx].astype(np.float32)
        meta["gradnorm." + name] = repr(norm)
    meta["grad"] = (
        "parameter i (state_dict order) with numel <= %d: grad.<name> in full; else "
        "gradnorm.<name> = its L2 norm (sqrt of the exact float64 sum of squares; metadata "
        "repr, tensor float32), gradidx.<name> = floor(HashFill.unit(%d + i, %d)[j] * numel) "
        "(int64; = ((bits >> 8) * numel) >> 24; indices into the gradient flattened row-major, "
        "repeats possible) and gradsample.<name> = the gradient there"
        % (full_max, GRADIDX_SEED0, GRAD_SAMPLES))
    meta["grad_full_max"] = str(full_max)


def net_grad_case(name):
    case = Case(name, NET_SEED0, 0)
    net, names = formula_net(name, case.meta)
    net_meta(name, net, case.meta)
    param_sums(net, names, "init_sum.", case.tensors, case.meta)
    x, labels, images = net_images(NETS[name][1], 0, 2)
    logits = net(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    s = math.fsum(x.numpy().ravel().tolist())
    case.tensors.update(images=images, labels=labels.numpy(), x_sum=np.array(s, np.float32),
                        logits=npy(logits), loss=npy(loss))
    grad_entries(names, net, NETS[name][4], case.tensors, case.meta)
    case.meta.update(batch_size="2", images="0..1", x_sum=repr(s),
                     x_note="x (not stored) = the resized images; x_sum = its exact sum",
                     loss="loss = F.cross_entropy(logits, labels) (mean) at the formula's "
                          "weights, net.eval(); grad* = d loss / d <name>")
    case.save()


def net_sgd_case(name, steps=5, batch=2):
    lr = NETS[name][2]
    case = Case(name + "_sgd%d" % steps, NET_SEED0, 0)
    net, names = formula_net(name, case.meta)
    net_meta(name, net, case.meta)
    param_sums(net, names, "init_sum.", case.tensors, case.meta)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        x, labels, _ = net_images(NETS[name][1], step * batch, batch)
        loss = F.cross_entropy(net(x), labels)
        losses.append(float(loss))
        opt.zero_grad()
        loss.backward()
        opt.step()
    case.tensors["losses"] = np.array(losses, dtype=np.float32)
    param_sums(net, names, "final_sum.", case.tensors, case.meta)
    case.meta.update(lr=str(lr), batch_size=str(batch), steps=str(steps), momentum="0",
                     weight_decay="0",
                     loss="losses[t] = F.cross_entropy (mean) of step t's forward pass "
                          "(net.eval(), dropout off), before its torch.optim.SGD update; step t "
                          "uses training images [%dt, %dt+%d) in file order, resized; "
                          "final_sum.<name> = sums of the parameters after the %d steps"
                          % (batch, batch, batch, steps))
    case.save()


def net_cases():
    for name in NETS:
        net_grad_case(name)
        net_sgd_case(name)
        del _net_init_cache[name]


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


# ---------------------------------------------------------------------------------------------
# What a net learned (issue 13): block outputs by forward hooks, saliency and Grad-CAM by autograd
# ---------------------------------------------------------------------------------------------
EXPLAIN_SAMPLES, EXPLAIN_IDX_SEED0 = 256, 4000


def attributions(net, x, c, target, size):
    """Saliency (H x W), Grad-CAM at module `target` (h x w) and Grad-CAM upsampled (H x W) for class c."""
    mods = dict(net.named_modules())
    xs = x.clone().requires_grad_(True)
    net.zero_grad()
    net(xs)[0, c].backward()
    sal = xs.grad.abs().amax(1)[0]
    store = {}

    def keep(mod, inp, out):  # returns None: the output stays as it is
        out.retain_grad()
        store["a"] = out

    h = mods[target].register_forward_hook(keep)
    net.zero_grad()
    net(x)[0, c].backward()
    h.remove()
    a = store["a"]
    alpha = a.grad.mean((2, 3), keepdim=True)
    cam = F.relu((alpha * a).sum(1, keepdim=True))
    up = F.interpolate(cam, size=(size, size), mode="bilinear", align_corners=False)
    return sal.detach(), cam[0, 0].detach(), up[0, 0].detach()


def explain_case(name, net, names, modules, size, names_meta, tensors_full):
    """One image (training image 0, resized to `size`) through `net`: the outputs of `modules` (the
    block ends of d2l4j's Probe, by their dotted paths), then saliency and Grad-CAM for two classes."""
    case = Case("explain_" + name, 4000, 0)
    case.meta.update(names_meta)
    param_sums(net, names, "init_sum.", case.tensors, case.meta)
    x, labels, _ = net_images(size, 0, 1) if size != 28 else (t(fashion_mnist_train(1)[0]), None, None)
    label = int(fashion_mnist_train(1)[1][0])
    mods = dict(net.named_modules())
    outs = {}
    hooks = [mods[m].register_forward_hook(lambda mod, inp, out, m=m: outs.__setitem__(m, out)) for m in modules]
    with torch.no_grad():
        logits = net(x)
    for h in hooks:
        h.remove()
    case.tensors["logits"] = npy(logits)
    for i, m in enumerate(modules):
        v = outs[m][0]
        if tensors_full:
            case.tensors["map." + m] = npy(v)
        else:
            flat = v.numpy().astype(np.float64).ravel()
            case.tensors["mapsum." + m] = np.array(math.fsum(flat.tolist()), np.float32)
            idx = hash_index(EXPLAIN_IDX_SEED0 + i, EXPLAIN_SAMPLES, flat.size)
            case.tensors["mapidx." + m] = idx
            case.tensors["mapsample." + m] = v.numpy().ravel()[idx].astype(np.float32)
    classes = [label, (label + 1) % 10]
    target = modules[-1]
    net64 = copy.deepcopy(net).double() if not tensors_full else None
    for c in classes:
        sal, cam, up = attributions(net, x, c, target, size)
        case.tensors["saliency.%d" % c] = npy(sal)
        case.tensors["gradcam.%d" % c] = npy(cam)
        case.tensors["gradcam_up.%d" % c] = npy(up)
        if net64 is not None:  # the exact answer, and how far PyTorch's own float32 lies from it
            for key, v32, v64 in zip(("saliency", "gradcam", "gradcam_up"), (sal, cam, up),
                                     attributions(net64, x.double(), c, target, size)):
                case.tensors["%s64.%d" % (key, c)] = v64.numpy().astype(np.float32)
                err = ((v32.double() - v64).norm() / v64.norm()).item()
                case.meta["torch_f32_rel_l2.%s.%d" % (key, c)] = repr(err)
    case.meta.update(
        image="training image 0 (label %d), pixel / 255, resized to %dx%d as the net cases" % (label, size, size),
        modules=",".join(modules), classes=",".join(str(c) for c in classes), target=target,
        maps=("map.<module> = the module's output for the image (batch dim dropped), by a forward hook"
              if tensors_full else
              "mapsum.<module> = exact sum of the output (float64 fsum, stored float32); mapidx.<module> = "
              "floor(HashFill.unit(%d + i, %d)[j] * numel) for module i, mapsample = the output there"
              % (EXPLAIN_IDX_SEED0, EXPLAIN_SAMPLES)),
        saliency="saliency.<c> = |d logits[0, c] / d x|, max over input channels, H x W",
        f64=("<key>64.<c> = the same in float64 (the net and image converted with .double(), stored "
             "rounded to float32); torch_f32_rel_l2.<key>.<c> = ||float32 - float64|| / ||float64|| of "
             "PyTorch's own float32 result (GoogLeNet only: its input gradients lose digits)"),
        gradcam="A = output of `target`; alpha = mean over (h, w) of d logits[0, c] / d A; gradcam.<c> = "
                "relu(sum_k alpha_k A_k) (h x w); gradcam_up.<c> = F.interpolate(gradcam, (H, W), "
                "mode='bilinear', align_corners=False)",
        mode="net.eval()")
    case.save()


def explain_cases():
    meta = dict(LENET_META)
    net = lenet()
    names = lenet_init(net, meta)
    net.eval()
    explain_case("lenet", net, names, ["1", "4"], 28, meta, True)
    meta = {}
    net, names = formula_net("googlenet", meta)
    modules = ["0.1", "1.1", "1.3", "2.0", "2.1", "3.0", "3.1", "3.2", "3.3", "3.4", "4.0", "4.1"]
    explain_case("googlenet", net, names, modules, 96, meta, False)
    _net_init_cache.pop("googlenet", None)


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
    adaptive_avgpool2d_cases()
    concat_cases()
    dropout_cases()
    resize_cases()
    net_cases()
    explain_cases()


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["explain"]:  # only the explain cases (the others unchanged)
        os.makedirs(DATA, exist_ok=True)
        explain_cases()
    else:
        main()
