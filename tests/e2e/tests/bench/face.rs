//! Face detection per frame: our worker (tract, BlazeFace short-range 128, SIMD)
//! against MediaPipe's web face detection (its short-range model) on the same frames,
//! in the same page (`bench/web/face.js`).

use std::time::Duration;

use qoltanba_e2e::{videos, workspace_root, Browser, Camera, TestServer};
use thirtyfour::prelude::*;

use crate::{browser_version, median_p95, page_result, write_section};

#[tokio::test]
#[ignore = "a benchmark: make bench runs it"]
async fn face_detection_against_mediapipe() -> WebDriverResult<()> {
    let bench_web = workspace_root().join("bench/web");
    assert!(
        bench_web
            .join("node_modules/@mediapipe/face_detection")
            .exists(),
        "MediaPipe is not installed: `npm ci --prefix bench/web` (make bench does it)"
    );
    let server = TestServer::start_configured(|config| config.bench_dir = Some(bench_web)).await;
    let browser = Browser::start(Camera::Video(videos().face_center)).await?;
    browser.open(&server.url("/bench/face.html")).await?;
    let result = page_result(&browser, "benchResult", Duration::from_secs(300)).await?;
    let version = browser_version(&browser).await?;
    browser.quit().await?;

    let series = |side: &str, field: &str| -> Vec<f64> {
        result[side]
            .as_array()
            .expect("a list of frames")
            .iter()
            .map(|frame| frame[field].as_f64().expect("a number"))
            .collect()
    };
    let frames = series("ours", "faces").len();
    let with_face = |side: &str| series(side, "faces").iter().filter(|&&n| n > 0.0).count();
    // A face is in every frame of this video: a detector that finds none measured nothing.
    for side in ["ours", "mediaPipe", "mediaPipeCpu"] {
        let seen = with_face(side);
        assert!(
            seen * 10 >= frames * 9,
            "{side} found a face in only {seen} of {frames} frames"
        );
    }
    let row = |name: &str, side: &str, field: &str| {
        let (median, p95) = median_p95(&series(side, field));
        let row = format!(
            "| {name} | {median:.2} ms | {p95:.2} ms | {}/{frames} |\n",
            with_face(side)
        );
        (median, row)
    };
    let (worker, worker_row) = row("ours, in the worker", "ours", "workerMs");
    let (ours, ours_row) = row("ours, round trip from the page", "ours", "roundTripMs");
    let (gpu, gpu_row) = row("MediaPipe, its default (model in WebGL)", "mediaPipe", "ms");
    let (cpu, cpu_row) = row(
        "MediaPipe, `useCpuInference` (model in wasm)",
        "mediaPipeCpu",
        "ms",
    );
    let fastest = gpu.min(cpu);
    let verdict = if ours <= fastest {
        "met".to_owned()
    } else {
        format!(
            "missed by {:.2} ms a frame: the time goes to the frame's way to the model \
             (reading the canvas, the transfer, scaling to 128 in the worker) as much as to \
             the model itself ({worker:.2} ms in the worker)",
            ours - fastest
        )
    };
    let markdown = format!(
        "## Face detection per frame\n\n\
         {frames} frames of {width}×{height} from Chromium's fake camera (a face, centred), in \
         {version} without a GPU, on the release build; each frame drawn once on a canvas, then \
         given to each detector in turn, after {warm_up} frames of warm-up \
         (`tests/e2e/tests/bench/face.rs`, `bench/web/face.js`). Ours: the face worker's \
         short-range BlazeFace 128 (tract, wasm SIMD), timed inside the worker and as a round \
         trip from reading the canvas's pixels to the answer on the page. MediaPipe: \
         `@mediapipe/face_detection` 0.4.1657300184, model `short`, from `send` to `onResults` \
         (it reads the canvas itself), in both of its inference modes.\n\n\
         | detector | median | p95 | frames with a face |\n| --- | --- | --- | --- |\n\
         {worker_row}{ours_row}{gpu_row}{cpu_row}\n\
         Ratio ours (round trip) / the faster MediaPipe (medians): **{ratio:.2}** \
         (inside the worker: {worker_ratio:.2}); target ≤ 1.0: {verdict}.\n",
        width = result["width"],
        height = result["height"],
        warm_up = result["warmUp"],
        ratio = ours / fastest,
        worker_ratio = worker / fastest,
    );
    write_section("01-face-detection.md", &markdown);
    Ok(())
}
