#!/usr/bin/python3
"""Weights between PyTorch and d2l4j, both ways, for the five nets of d2l's "Modern CNNs" chapter.

Run with Debian's python3-torch (1.13): /usr/bin/python3 src/reference/interop.py <command>

  torch-to-java [DIR]   for every net: build it as d2l's PyTorch code does, keep torch's default
                        initialization (torch.manual_seed(net index)), save its state_dict as
                        DIR/<net>_torch.safetensors (nothing but the state_dict, as a PyTorch user's
                        file would be) and DIR/<net>_torch_io.safetensors (x: 2 Fashion-MNIST test
                        images resized to the net's side; logits: the net's output in eval mode).
                        LeNet's pair is committed in src/reference/data/interop (CI checks it); the
                        others are 9-230 MB, so DIR defaults to /tmp/d2l4j-interop and the Java test
                        InteropTest reads them when run with -Dd2l4j.interop.dir=DIR.
  java-to-torch DIR     for every <net>_java.safetensors + <net>_java_io.safetensors that InteropTest
                        wrote into DIR (-Dd2l4j.interop.out=DIR): load the weights into the PyTorch net
                        with load_state_dict(strict=True) and compare its logits for x with Java's.
  train-lenet           train LeNet with d2l's recipe (lr 0.9, batch 256, Xavier uniform init) for 3
                        epochs, seed 0, and write src/reference/data/interop/lenet_trained.safetensors
                        (the state_dict) and lenet_trained_predictions.safetensors (pred: the argmax
                        for all 10000 test images, I32; margin: top-1 minus top-2 logit, F32).

The safetensors files are written and read with make_reference.py's own code (no safetensors package).
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_reference as ref  # noqa: E402  (the nets, the IDX reader, the safetensors writer)

HERE = os.path.dirname(os.path.abspath(__file__))
INTEROP = os.path.join(HERE, "data", "interop")
# name: (constructor, input side), in the order the seeds are given
NETS = {"lenet": (ref.lenet, 28), "alexnet": (ref.alexnet, 224), "vgg": (ref.vgg_small, 224),
        "nin": (ref.nin, 224), "googlenet": (ref.googlenet, 96)}
ST_DTYPES = {"F32": np.float32, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n, = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype=np.dtype(ST_DTYPES[info["dtype"]]).newbyteorder("<"))
        out[name] = arr.reshape(info["shape"]).astype(ST_DTYPES[info["dtype"]])
    return out, meta


def state_dict_arrays(net):
    return {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}


def test_images(side, first, count):
    images = ref.read_idx("t10k-images-idx3-ubyte.gz", 2051)[first:first + count]
    x = (images.astype(np.float32).reshape(count, 1, 28, 28) / np.float32(255.0)).astype(np.float32)
    xt = torch.from_numpy(x)
    return xt if side == 28 else ref.resize(xt, side)


def rel_err(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


def torch_to_java(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for i, (name, (make, side)) in enumerate(NETS.items()):
        torch.manual_seed(i)
        net = make().eval()
        x = test_images(side, 0, 2)
        with torch.no_grad():
            logits = net(x).numpy().astype(np.float32)
        meta = {"net": name, "init": "PyTorch's default (torch.manual_seed(%d))" % i,
                "torch": torch.__version__}
        ref.write_safetensors(os.path.join(out_dir, name + "_torch.safetensors"), state_dict_arrays(net), meta)
        ref.write_safetensors(os.path.join(out_dir, name + "_torch_io.safetensors"),
                              {"x": x.numpy().astype(np.float32), "logits": logits},
                              dict(meta, note="x: Fashion-MNIST test images 0 and 1, pixel / 255, resized "
                                              "with F.interpolate(bilinear, align_corners=False) to %d" % side))
        print("%-9s %9d parameters -> %s" % (name, sum(p.numel() for p in net.parameters()), out_dir))


def java_to_torch(in_dir):
    worst = 0.0
    found = 0
    for name, (make, side) in NETS.items():
        wfile = os.path.join(in_dir, name + "_java.safetensors")
        iofile = os.path.join(in_dir, name + "_java_io.safetensors")
        if not os.path.exists(wfile):
            print("%-9s no %s, skipped" % (name, wfile))
            continue
        found += 1
        weights, _ = read_safetensors(wfile)
        io, _ = read_safetensors(iofile)
        net = make().eval()
        net.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in weights.items()}, strict=True)
        with torch.no_grad():
            logits = net(torch.from_numpy(io["x"].copy())).numpy()
        err = rel_err(logits, io["logits"])
        worst = max(worst, err)
        status = "ok" if err < 1e-4 else "MISMATCH"
        print("%-9s loaded %d tensors strictly; logits max |torch - java| / max|java| = %.2e %s"
              % (name, len(weights), err, status))
    if found == 0 or worst >= 1e-4:
        sys.exit(1)


def train_lenet(epochs=3, seed=0, lr=0.9, batch_size=256):
    """d2l's train_ch6 for LeNet: Xavier-uniform init, SGD, cross-entropy; returns the net."""
    torch.manual_seed(seed)
    torch.set_num_threads(2)
    net = ref.lenet()

    def init_weights(m):
        if type(m) in (nn.Linear, nn.Conv2d):
            nn.init.xavier_uniform_(m.weight)
    net.apply(init_weights)
    images = ref.read_idx("train-images-idx3-ubyte.gz", 2051)
    labels = ref.read_idx("train-labels-idx1-ubyte.gz", 2049)
    x = torch.from_numpy((images.astype(np.float32).reshape(-1, 1, 28, 28) / np.float32(255.0)).astype(np.float32))
    y = torch.from_numpy(labels.astype(np.int64))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=batch_size, shuffle=True,
                                         generator=torch.Generator().manual_seed(seed))
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    loss = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        net.train()
        total, n = 0.0, 0
        for xb, yb in loader:
            opt.zero_grad()
            l = loss(net(xb), yb)
            l.backward()
            opt.step()
            total += float(l) * len(yb)
            n += len(yb)
        print("epoch %d: loss %.3f" % (epoch + 1, total / n))
    net.eval()
    test_x = test_images(28, 0, 10000)
    with torch.no_grad():
        logits = net(test_x).numpy()
    top2 = np.sort(logits, axis=1)[:, -2:]
    pred = logits.argmax(axis=1).astype(np.int32)
    test_y = ref.read_idx("t10k-labels-idx1-ubyte.gz", 2049).astype(np.int64)
    print("test acc %.4f; smallest top-1 minus top-2 logit gap %.3g" % ((pred == test_y).mean(), (top2[:, 1] - top2[:, 0]).min()))
    os.makedirs(INTEROP, exist_ok=True)
    meta = {"net": "lenet", "recipe": "d2l train_ch6: xavier_uniform_ weights, default biases, SGD lr %s, batch %d, "
            "%d epochs, shuffle with torch.Generator().manual_seed(%d), torch.manual_seed(%d)" % (lr, batch_size, epochs, seed, seed),
            "torch": torch.__version__}
    ref.write_safetensors(os.path.join(INTEROP, "lenet_trained.safetensors"), state_dict_arrays(net), meta)
    ref.write_safetensors(os.path.join(INTEROP, "lenet_trained_predictions.safetensors"),
                          {"pred": pred, "margin": (top2[:, 1] - top2[:, 0]).astype(np.float32)},
                          dict(meta, pred="argmax of the logits of the 10000 test images in file order (pixel / 255)",
                               margin="top-1 minus top-2 logit per image"))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "torch-to-java":
        torch_to_java(sys.argv[2] if len(sys.argv) > 2 else "/tmp/d2l4j-interop")
        if len(sys.argv) <= 2:
            torch_to_java_lenet_committed()
    elif cmd == "java-to-torch" and len(sys.argv) > 2:
        java_to_torch(sys.argv[2])
    elif cmd == "train-lenet":
        train_lenet()
    else:
        print(__doc__)
        sys.exit(2)


def torch_to_java_lenet_committed():
    """LeNet's pair is small (250 KB): copy it where CI reads it."""
    import shutil
    os.makedirs(INTEROP, exist_ok=True)
    for suffix in ("_torch.safetensors", "_torch_io.safetensors"):
        shutil.copyfile(os.path.join("/tmp/d2l4j-interop", "lenet" + suffix), os.path.join(INTEROP, "lenet" + suffix))


if __name__ == "__main__":
    main()
