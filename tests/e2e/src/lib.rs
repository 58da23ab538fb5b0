//! The end-to-end harness: the real server (in this process, on a random port, with a
//! fresh SQLite file and the demo data), the SPA that trunk built into `dist/`, and
//! headless Chromium driven through Debian's chromedriver.

pub mod browser;
pub mod server;

pub use browser::{Browser, Camera};
pub use server::TestServer;

use std::path::PathBuf;

/// The repository's root, where `dist/` and `tests/fixtures/` are.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The fake-camera videos, generated on first use from the fixture photo.
pub fn videos() -> qoltanba_fixtures::Videos {
    qoltanba_fixtures::ensure_videos(&workspace_root().join("tests/fixtures/generated"))
        .expect("fixture videos can be generated")
}

/// The demo employee of the demo organisation, whose registry photo is the fixture face.
pub const ORG: &str = "150340001236";
pub const EMPLOYEE: &str = "920724405673";
pub const EMPLOYEE_PHONE: &str = "+77017654321";

/// A browser whose camera plays `video`, opened at `path` as the demo employee just
/// after the mobile-citizens check: the wizard's state is what the earlier steps leave
/// in sessionStorage, with a session the server really verified.
pub async fn verified_employee_at(
    server: &TestServer,
    video: PathBuf,
    path: &str,
) -> thirtyfour::prelude::WebDriverResult<Browser> {
    let session = server.verified_session(ORG, EMPLOYEE, EMPLOYEE_PHONE).await;
    let wizard = serde_json::json!({ "PhoneVerified": {
        "request": { "profile": { "kind": "legal_entity", "template": "employee" },
                     "bin": ORG, "iin": EMPLOYEE, "language": "ru" },
        "organisation": "ТОО «Qoltanba Demo»",
        "session": session,
    }});
    let browser = Browser::start(Camera::Video(video)).await?;
    browser.open(&server.url("/")).await?;
    browser
        .driver
        .execute(
            "sessionStorage.setItem('qoltanba.wizard', arguments[0]);",
            vec![serde_json::Value::String(wizard.to_string())],
        )
        .await?;
    browser.open(&server.url(path)).await?;
    Ok(browser)
}
