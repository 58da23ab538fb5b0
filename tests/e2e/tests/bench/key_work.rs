//! Key work in the browser: the two P-256 key pairs with their requests, and the two
//! PKCS#12 files, timed by the app itself (User Timing measures `qoltanba:keys` and
//! `qoltanba:pkcs12`, `src/keys.rs`) on the real way from the landing page to the
//! installed keys, against OpenSSL on this machine doing the same.

use std::path::Path;
use std::time::Instant;

use qoltanba_e2e::walk::{issued_key_stores, openssl, Person};
use qoltanba_e2e::{videos, Browser, Camera, Options, TestServer, VIDEO_ORDER};
use thirtyfour::prelude::*;

use crate::{browser_version, median_p95, write_section};

const PASSWORD: &str = "Qoltanba2026";
/// OpenSSL runs are cheap: the median of this many.
const RUNS: usize = 7;
/// Our key stores' algorithms (`crates/pki/src/key_store.rs`, p12-keystore's defaults):
/// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC for the key and the certificates,
/// 10 000 iterations, and an HMAC-SHA256 MAC over 10 000 iterations.
const PKCS12_OPTIONS: [&str; 8] = [
    "-keypbe",
    "AES-256-CBC",
    "-certpbe",
    "AES-256-CBC",
    "-macalg",
    "sha256",
    "-iter",
    "10000",
];

/// The milliseconds of each run of `work`, `RUNS` times.
fn timed_runs(mut work: impl FnMut()) -> Vec<f64> {
    (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

/// OpenSSL makes two P-256 keys, each with its request, as two commands.
fn openssl_keys(folder: &Path) -> Vec<f64> {
    timed_runs(|| {
        for name in ["authentication", "signing"] {
            let key = folder.join(format!("{name}.key")).display().to_string();
            let request = folder.join(format!("{name}.csr")).display().to_string();
            openssl(&[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &key,
                "-subj",
                "/CN=BENCH/serialNumber=IIN850115301238/C=KZ",
                "-out",
                &request,
            ]);
        }
    })
}

/// OpenSSL writes our two key stores again, from their own key and certificates, with
/// the same algorithms and iteration counts.
fn openssl_pkcs12(folder: &Path, stores: &[&Path]) -> Vec<f64> {
    let contents: Vec<String> = stores
        .iter()
        .enumerate()
        .map(|(i, store)| {
            let pem = folder.join(format!("store-{i}.pem")).display().to_string();
            let password = format!("pass:{PASSWORD}");
            openssl(&[
                "pkcs12",
                "-in",
                &store.display().to_string(),
                "-passin",
                &password,
                "-nodes",
                "-out",
                &pem,
            ]);
            pem
        })
        .collect();
    timed_runs(|| {
        for (i, pem) in contents.iter().enumerate() {
            let out = folder.join(format!("again-{i}.p12")).display().to_string();
            let password = format!("pass:{PASSWORD}");
            let mut args = vec![
                "pkcs12", "-export", "-in", pem, "-passout", &password, "-out", &out,
            ];
            args.extend(PKCS12_OPTIONS);
            openssl(&args);
        }
    })
}

#[tokio::test]
#[ignore = "a benchmark: make bench runs it"]
async fn key_work_against_openssl() -> WebDriverResult<()> {
    let server = TestServer::with_challenge(&VIDEO_ORDER, 60).await;
    let downloads = tempfile::tempdir().expect("a download folder");
    let browser = Browser::start_with(
        Camera::Video(videos().liveness_sequence),
        Options {
            downloads: Some(downloads.path().to_owned()),
            ..Options::default()
        },
    )
    .await?;
    let stores = issued_key_stores(&browser, &server, &Person::HEAD, PASSWORD).await?;
    let measures = browser
        .driver
        .execute(
            "return ['qoltanba:keys', 'qoltanba:pkcs12']
                .map(name => performance.getEntriesByName(name, 'measure').map(e => e.duration));",
            vec![],
        )
        .await?;
    let [keys, pkcs12]: [Vec<f64>; 2] =
        serde_json::from_value(measures.json().clone()).expect("two lists of durations");
    let version = browser_version(&browser).await?;
    browser.quit().await?;
    assert_eq!(keys.len(), 1, "the page measured its keys once: {keys:?}");
    assert_eq!(
        pkcs12.len(),
        2,
        "the page measured two key stores: {pkcs12:?}"
    );
    let (ours_keys, ours_pkcs12) = (keys[0], pkcs12.iter().sum::<f64>());

    let folder = tempfile::tempdir().expect("a work folder");
    let (openssl_keys, _) = median_p95(&openssl_keys(folder.path()));
    let (openssl_pkcs12, _) = median_p95(&openssl_pkcs12(
        folder.path(),
        &[&stores.authentication, &stores.signing],
    ));
    let openssl_version = String::from_utf8_lossy(&openssl(&["version"]).stdout)
        .trim()
        .to_owned();
    let markdown = format!(
        "## Key work in the browser\n\n\
         The first head's way from the landing page to his two installed key stores in \
         {version} (release build, `tests/e2e/tests/bench/key_work.rs`), timed by the app \
         around the work itself; then {openssl_version} on the same machine doing the same, \
         the median of {RUNS} runs, each run two commands (so it includes starting the \
         process twice, a few milliseconds). Both key stores: PBES2, PBKDF2-HMAC-SHA256 with \
         AES-256-CBC at 10 000 iterations, HMAC-SHA256 MAC at 10 000 iterations, the \
         certificate and its CA chain.\n\n\
         | work | ours, in the page | OpenSSL | ratio ours / OpenSSL |\n\
         | --- | --- | --- | --- |\n\
         | two P-256 key pairs and their two CSRs | {ours_keys:.1} ms | {openssl_keys:.1} ms \
         (`openssl req -new -newkey ec`) | {:.2} |\n\
         | the two PKCS#12 files | {ours_pkcs12:.1} ms ({:.1} + {:.1}) | {openssl_pkcs12:.1} ms \
         (`openssl pkcs12 -export`) | {:.2} |\n",
        ours_keys / openssl_keys,
        pkcs12[0],
        pkcs12[1],
        ours_pkcs12 / openssl_pkcs12,
    );
    write_section("035-key-work.md", &markdown);
    Ok(())
}
