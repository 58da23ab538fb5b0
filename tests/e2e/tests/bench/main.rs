//! `make bench`: speed in headless Chromium, side by side with a reference where there is
//! one. Not tests: `make test` skips them (ignored), they assert nothing about speed, and
//! fail only when they measured nothing. Each figure writes its own section to
//! `$BENCH_OUT/NN-name.md`; `make bench` puts them together in `bench/results.md`.

mod face;
mod first_screen;
mod guidance;
mod key_work;

use std::path::PathBuf;
use std::time::Duration;

use qoltanba_e2e::{workspace_root, Browser};
use thirtyfour::prelude::*;

/// Writes one figure's section as `name` (e.g. `01-face-detection.md`) and prints it.
fn write_section(name: &str, markdown: &str) {
    let folder = std::env::var_os("BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/bench"));
    std::fs::create_dir_all(&folder).expect("the bench output folder can be made");
    std::fs::write(folder.join(name), markdown).expect("the section is written");
    print!("{markdown}");
}

/// The median and the 95th percentile (nearest rank) of `values`.
fn median_p95(values: &[f64]) -> (f64, f64) {
    assert!(!values.is_empty(), "nothing was measured");
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank =
        |p: f64| sorted[((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1];
    (rank(0.5), rank(0.95))
}

/// The browser's name and version, for the methods' sentences.
async fn browser_version(browser: &Browser) -> WebDriverResult<String> {
    let agent = browser
        .driver
        .execute("return navigator.userAgent;", vec![])
        .await?;
    let agent = agent.json().as_str().unwrap_or_default().to_owned();
    Ok(agent
        .split_whitespace()
        .find_map(|part| {
            part.strip_prefix("HeadlessChrome/")
                .or(part.strip_prefix("Chrome/"))
        })
        .map_or(agent.clone(), |version| {
            format!("headless Chromium {version}")
        }))
}

/// Waits until the page sets `window[name]`, and returns it.
async fn page_result(
    browser: &Browser,
    name: &str,
    within: Duration,
) -> WebDriverResult<serde_json::Value> {
    let deadline = std::time::Instant::now() + within;
    loop {
        let value = browser
            .driver
            .execute(&format!("return window[{name:?}] ?? null;"), vec![])
            .await?;
        let value = value.json().clone();
        if !value.is_null() {
            assert!(
                value["error"].is_null(),
                "the bench page failed: {}",
                value["error"]
            );
            return Ok(value);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the bench page gave no {name} within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
