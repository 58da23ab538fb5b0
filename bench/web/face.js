// `make bench` (tests/e2e/tests/bench/face.rs): our face worker's short-range BlazeFace
// against MediaPipe's face detection (its short-range model), on the very same camera
// frames in this page. Each frame is drawn once on the canvas, then given to each
// detector in turn; the timings are left in `window.benchResult`.

const FRAMES = 200;
// Both compile and warm their caches on the first frames.
const WARM_UP = 20;
const MEDIAPIPE = '/bench/node_modules/@mediapipe/face_detection/';
// trunk's loader for our worker, as the app starts it (src/face.rs).
const OUR_WORKER = '/qoltanba-face-worker_loader.js';

// What the detectors log (MediaPipe says why it aborts only there) goes with an error.
const logged = [];
for (const level of ['error', 'warn']) {
  const original = console[level];
  console[level] = (...args) => {
    logged.push(args.join(' '));
    original(...args);
  };
}

const video = document.querySelector('video');
const canvas = document.querySelector('canvas');
const context = canvas.getContext('2d', { willReadFrequently: true });

async function ourDetector() {
  const worker = new Worker(OUR_WORKER);
  await new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const reply = JSON.parse(event.data);
      if (reply.type === 'ready') resolve();
      else reject(new Error(`our worker: ${event.data}`));
    };
  });
  // The pixels are read from the canvas inside the timing, as the app reads them.
  return () => {
    const started = performance.now();
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data.buffer;
    const request = JSON.stringify({ type: 'detect', width: canvas.width, height: canvas.height });
    return new Promise((resolve, reject) => {
      worker.onmessage = (event) => {
        const reply = JSON.parse(event.data);
        if (reply.type !== 'detected') {
          reject(new Error(`our worker: ${event.data}`));
          return;
        }
        resolve({
          roundTripMs: performance.now() - started,
          workerMs: reply.elapsed_ms,
          faces: reply.faces.length,
        });
      };
      worker.postMessage([request, pixels], [pixels]);
    });
  };
}

// `useCpuInference`: false is MediaPipe's default on a desktop (the model runs in WebGL,
// which here, without a GPU, is Chromium's software WebGL); true runs it in its wasm.
async function mediaPipeDetector(useCpuInference) {
  const detector = new FaceDetection({ locateFile: (file) => MEDIAPIPE + file });
  // Its default minimum confidence, 0.5, is ours too (setting it breaks its graph).
  detector.setOptions({ model: 'short', useCpuInference });
  let faces = null;
  detector.onResults((results) => {
    faces = results.detections.length;
  });
  await detector.initialize();
  // `send` resolves once the graph has run and `onResults` has been called.
  return async () => {
    faces = null;
    const started = performance.now();
    await detector.send({ image: canvas });
    const ms = performance.now() - started;
    if (faces === null) throw new Error('MediaPipe answered no results');
    return { ms, faces };
  };
}

async function main() {
  video.srcObject = await navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480 },
  });
  await video.play();
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const detectors = {
    ours: await ourDetector(),
    mediaPipe: await mediaPipeDetector(false),
    mediaPipeCpu: await mediaPipeDetector(true),
  };
  const names = Object.keys(detectors);
  const result = { width: canvas.width, height: canvas.height, warmUp: WARM_UP };
  for (const name of names) result[name] = [];
  for (let i = 0; i < WARM_UP + FRAMES; i++) {
    // A new camera frame each time.
    await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    // Each goes first in turn, so that none always finds the caches warm.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const timing = await detectors[name]();
      if (i >= WARM_UP) result[name].push(timing);
    }
  }
  window.benchResult = result;
}

main().catch((error) => {
  window.benchResult = { error: [error.stack || String(error), ...logged].join('\n') };
});
