//! What the first screen costs: the bytes the landing page needs before it is
//! interactive, as our server sends them, and the face module the camera steps load
//! later, separately.

use std::time::Duration;

use qoltanba_e2e::{Browser, Camera, TestServer};
use thirtyfour::prelude::*;

use crate::{browser_version, write_section};

/// The target for the first screen, compressed.
const TARGET_BYTES: u64 = 1_000_000;

/// One file as our server sends it.
struct Served {
    path: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
    cache_control: String,
}

/// Asks our server for `path` as a browser does, once with gzip and once with brotli
/// accepted (reqwest here decompresses nothing: the lengths are the bytes sent).
async fn served(server: &TestServer, path: &str) -> Served {
    let client = reqwest::Client::new();
    let get = |encoding: &'static str| {
        let request = client
            .get(server.url(path))
            .header("accept-encoding", encoding);
        async move {
            let response = request.send().await.expect("the server answers");
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("none")
                    .to_owned()
            };
            let (content_encoding, cache_control) =
                (header("content-encoding"), header("cache-control"));
            let length = response.bytes().await.expect("a body").len() as u64;
            (length, content_encoding, cache_control)
        }
    };
    let (raw, _, cache_control) = get("identity").await;
    let (gzip, gzip_encoding, _) = get("gzip").await;
    let (brotli, brotli_encoding, _) = get("br").await;
    // A file sent as it is counts as such, so only a compressed answer may be smaller.
    assert!(
        gzip_encoding == "gzip" || gzip == raw,
        "{path}: {gzip_encoding}"
    );
    assert!(
        brotli_encoding == "br" || brotli == raw,
        "{path}: {brotli_encoding}"
    );
    Served {
        path: path.to_owned(),
        raw,
        gzip,
        brotli,
        cache_control,
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// A table of files, with their total; returns it and the totals (received, gzip, brotli).
fn table(files: &[(Served, Option<u64>)]) -> (String, u64, u64) {
    let mut rows = String::from(
        "| file | raw | received by Chromium here | gzip | brotli | Cache-Control |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    let (mut gzip, mut brotli, mut raw, mut received) = (0, 0, 0, 0);
    for (file, transferred) in files {
        rows += &format!(
            "| `{}` | {} | {} | {} | {} | `{}` |\n",
            file.path,
            kb(file.raw),
            transferred.map_or("not loaded".to_owned(), kb),
            kb(file.gzip),
            kb(file.brotli),
            file.cache_control
        );
        raw += file.raw;
        gzip += file.gzip;
        brotli += file.brotli;
        received += transferred.unwrap_or(0);
    }
    rows += &format!(
        "| **total** | {} | {} | **{}** | **{}** | |\n",
        kb(raw),
        kb(received),
        kb(gzip),
        kb(brotli)
    );
    (rows, gzip, brotli)
}

#[tokio::test]
#[ignore = "a benchmark: make bench runs it"]
async fn first_screen_bytes() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = Browser::start(Camera::None).await?;
    browser.open(&server.url("/")).await?;
    // The landing page's heading is written by the app: the wasm has started.
    browser
        .driver
        .query(By::Css("h1#step-title"))
        .wait(Duration::from_secs(60), Duration::from_millis(100))
        .first()
        .await?;
    let entries = browser
        .driver
        .execute(
            "return [...performance.getEntriesByType('navigation'),
                     ...performance.getEntriesByType('resource')]
                .map(e => [new URL(e.name).pathname, e.transferSize]);",
            vec![],
        )
        .await?;
    let entries: Vec<(String, u64)> =
        serde_json::from_value(entries.json().clone()).expect("paths and sizes");
    let version = browser_version(&browser).await?;
    browser.quit().await?;
    assert!(
        entries.iter().any(|(path, _)| path.ends_with("_bg.wasm")),
        "the landing page loaded no wasm: {entries:?}"
    );

    let mut first = Vec::new();
    for (path, transferred) in &entries {
        first.push((served(&server, path).await, Some(*transferred)));
    }
    // The face module: the worker and its models, fetched by the worker itself (so not
    // in the page's timeline) when the first camera step opens.
    let dist = &server.static_dir;
    let mut face = Vec::new();
    for name in [
        "qoltanba-face-worker_loader.js",
        "qoltanba-face-worker.js",
        "qoltanba-face-worker_bg.wasm",
    ]
    .map(String::from)
    .into_iter()
    .chain(
        std::fs::read_dir(dist.join("models"))
            .expect("the built models")
            .map(|e| {
                e.expect("a file")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            // The build's compressed copies are what is served for a model, not more files.
            .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
            .map(|name| format!("models/{name}")),
    ) {
        let path = format!("/{name}");
        assert!(
            !entries.iter().any(|(loaded, _)| *loaded == path),
            "{path} is loaded by the first screen: the face module must wait for the camera steps"
        );
        face.push((served(&server, &path).await, None));
    }
    face.sort_by(|a, b| a.0.path.cmp(&b.0.path));

    let (first_table, first_gzip, first_brotli) = table(&first);
    let (face_table, _, _) = table(&face);
    let verdict = if first_brotli <= TARGET_BYTES {
        "met".to_owned()
    } else {
        format!(
            "missed by {}. Nearly all of it is the app's wasm, already without the \
             linker's name section and stored at brotli's best quality (`Trunk.toml`). \
             Closing it: loading the operator's, the cabinet's and the status pages' code \
             only when they open (wasm-bindgen cannot split a module yet, so a second wasm \
             module), or wasm-opt -Oz (binaryen, not in Debian's stable packages at a \
             version trunk takes)",
            kb(first_brotli - TARGET_BYTES)
        )
    };
    let markdown = format!(
        "## What the first screen costs\n\n\
         The landing page opened in {version} from our server (release build, `make spa`) \
         until its heading is written by the app: every file in the page's Resource Timing, \
         then each asked again from the server with only gzip or only brotli accepted, and \
         its `Cache-Control` (`tests/e2e/tests/bench/first_screen.rs`). The build stores \
         each file compressed at the best quality beside itself, and the server sends those. The target is read \
         on the brotli column (what Chromium took here; browsers that accept only gzip get \
         the gzip column).\n\n\
         {first_table}\n\
         First screen, compressed: **{}** with brotli ({} with gzip); target ≤ {}: {verdict}.\n\n\
         The face module, loaded by the worker when the first camera step opens, not before \
         (its files have no content hash in their names, so they are revalidated, `304` when \
         unchanged, rather than cached for good):\n\n\
         {face_table}",
        kb(first_brotli),
        kb(first_gzip),
        kb(TARGET_BYTES),
    );
    write_section("03-first-screen.md", &markdown);
    Ok(())
}
