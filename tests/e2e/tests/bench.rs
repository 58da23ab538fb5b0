//! `make bench`: how fast the face worker is in headless Chromium, on the fake camera.
//! Not a test (it asserts nothing about speed): it is ignored by `make test`, and
//! `make bench` runs it and writes the numbers to `bench/results.md`.

use std::fmt::Write as _;
use std::time::Duration;

use qoltanba_domain::liveness::Action;
use qoltanba_e2e::{employee_at, videos, workspace_root, Browser, Start, TestServer};
use thirtyfour::prelude::*;

/// Long enough for a steady rate after the models have loaded.
const MEASURE: Duration = Duration::from_secs(10);

/// What the page's frame loop reports on its canvas (`src/face.rs`).
struct Rate {
    fps: f64,
    worker_ms: f64,
    frames: u64,
}

async fn rate(browser: &Browser) -> WebDriverResult<Rate> {
    let stats = browser
        .driver
        .execute(
            "const c = document.querySelector('.face-camera canvas');
             return [c.dataset.fps, c.dataset.workerMs, c.dataset.frames].map(Number);",
            vec![],
        )
        .await?;
    let values: Vec<f64> = serde_json::from_value(stats.json().clone()).expect("three numbers");
    Ok(Rate {
        fps: values[0],
        worker_ms: values[1],
        frames: values[2] as u64,
    })
}

#[tokio::test]
#[ignore = "a benchmark: `make bench` runs it"]
async fn face_worker_speed() -> WebDriverResult<()> {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let mut report = format!(
        "# Benchmarks\n\nWritten by `make bench` (`tests/e2e/tests/bench.rs`): headless Chromium, \
         Chromium's fake camera at 640×480, the release build of the SPA and its face worker, \
         on a machine with {cores} cores. The page asks for a frame at most every 50 ms \
         (20 per second; the guidance needs 15), so the rate shows whether the worker keeps up.\n\n\
         | scene | worker time per frame | frames answered per second | frames |\n| --- | --- | --- | --- |\n",
    );

    // An empty room: the detector alone, on every frame, and never a capture.
    let server = TestServer::start().await;
    let (browser, _) = employee_at(
        &server,
        Start::SignedIn,
        videos().no_face,
        "/digital-id/selfie",
    )
    .await?;
    browser
        .wait_long_for_text_containing("#face-guidance", "Лицо не найдено", Duration::from_secs(60))
        .await?;
    tokio::time::sleep(MEASURE).await;
    let empty = rate(&browser).await?;
    browser.quit().await?;

    // A face that holds still through a challenge it never passes: detector and mesh
    // on every frame, the liveness loop as the applicant sees it.
    let server = TestServer::with_challenge(
        &[Action::TurnLeft, Action::TurnRight, Action::MoveCloser],
        120,
    )
    .await;
    let (browser, _) = employee_at(
        &server,
        Start::SignedIn,
        videos().still_photo,
        "/digital-id/selfie",
    )
    .await?;
    browser
        .driver
        .query(By::Css("img.selfie-preview"))
        .wait(Duration::from_secs(60), Duration::from_millis(100))
        .first()
        .await?;
    browser.button("Отправить").await?.click().await?;
    browser.button("Продолжить").await?.click().await?;
    browser.click_when_enabled("Начать").await?;
    browser
        .wait_long_for_text_containing(
            "#liveness-status",
            "поверните голову влево",
            Duration::from_secs(60),
        )
        .await?;
    tokio::time::sleep(MEASURE).await;
    let face = rate(&browser).await?;
    browser.quit().await?;

    for (scene, r) in [
        (
            "no face (short-range BlazeFace, then the 256 fallback)",
            &empty,
        ),
        ("a face (BlazeFace + Face Mesh + liveness)", &face),
    ] {
        writeln!(
            report,
            "| {scene} | {:.1} ms | {:.1} | {} |",
            r.worker_ms, r.fps, r.frames
        )
        .unwrap();
    }
    print!("{report}");
    let path = workspace_root().join("bench/results.md");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, report).unwrap();
    Ok(())
}
