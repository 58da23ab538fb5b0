//! The end-to-end harness: the real server (in this process, on a random port, with a
//! fresh SQLite file and the demo data), the SPA that trunk built into `dist/`, and
//! headless Chromium driven through Debian's chromedriver.

pub mod axe;
pub mod browser;
pub mod server;
pub mod walk;

pub use browser::{Browser, Camera, Options, SentRequest};
pub use server::TestServer;

use std::path::PathBuf;
use std::time::Duration;

use qoltanba_domain::liveness::Action;
use thirtyfour::prelude::*;

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

/// The demo organisation, its employee and its first head, whose registry photos are
/// the fixture face.
pub const ORG: &str = "150340001236";
pub const EMPLOYEE: &str = "920724405673";
pub const EMPLOYEE_PHONE: &str = "+77017654321";
pub const HEAD: &str = "850115301238";
pub const HEAD_PHONE: &str = "+77011234567";

/// Where a test starts in the flow of the demo employee: the wizard's state is what
/// the earlier steps leave in sessionStorage, with sessions the server really verified.
pub enum Start {
    /// Just after the mobile-citizens check.
    PhoneVerified,
    /// Signed in to Digital ID.
    SignedIn,
    /// Signed in, the face check passed (recorded on the server, not played): at the PIN.
    FaceChecked,
}

/// A browser whose camera plays `video`, opened at `path` as the demo employee at
/// `start`; returns the Digital ID session when there is one.
pub async fn employee_at(
    server: &TestServer,
    start: Start,
    video: PathBuf,
    path: &str,
) -> WebDriverResult<(Browser, Option<String>)> {
    let browser = Browser::start(Camera::Video(video)).await?;
    let session = seed_employee(&browser, server, start, path).await?;
    Ok((browser, session))
}

/// As `employee_at`, in a browser already open (its storage kept): a new phone check
/// and Digital ID session of the demo employee, then `path`.
pub async fn seed_employee(
    browser: &Browser,
    server: &TestServer,
    start: Start,
    path: &str,
) -> WebDriverResult<Option<String>> {
    let application = server.verified_session(ORG, EMPLOYEE, EMPLOYEE_PHONE).await;
    let applicant = serde_json::json!({
        "request": { "profile": { "kind": "legal_entity", "template": "employee" },
                     "bin": ORG, "iin": EMPLOYEE, "language": "ru" },
        "organisation": "ТОО «Qoltanba Demo»",
        "session": application,
    });
    let (wizard, session) = match start {
        Start::PhoneVerified => (serde_json::json!({ "PhoneVerified": applicant }), None),
        Start::SignedIn | Start::FaceChecked => {
            let session = server
                .digital_id_session(&application, EMPLOYEE_PHONE)
                .await;
            let member = serde_json::json!({ "applicant": applicant, "session": session });
            let wizard = if matches!(start, Start::FaceChecked) {
                server.face_checked(&session, "verified").await;
                serde_json::json!({ "IdentityChecked": { "member": member, "outcome": "verified" } })
            } else {
                serde_json::json!({ "SignedIn": member })
            };
            (wizard, Some(session))
        }
    };
    browser.open(&server.url("/")).await?;
    browser
        .driver
        .execute(
            "sessionStorage.setItem('qoltanba.wizard', arguments[0]);",
            vec![serde_json::Value::String(wizard.to_string())],
        )
        .await?;
    browser.open(&server.url(path)).await?;
    Ok(session)
}

/// The movements of the `liveness_sequence` video, in its order.
pub const VIDEO_ORDER: [Action; 3] = [Action::TurnLeft, Action::TurnRight, Action::MoveCloser];
/// A whole challenge played by the fake camera, with the models loading first.
pub const CHALLENGE_WAIT: Duration = Duration::from_secs(60);

/// At the selfie step: waits for the automatic picture, sends it, and starts the
/// liveness challenge.
pub async fn selfie_then_start(browser: &Browser) -> WebDriverResult<()> {
    send_selfie(browser).await?;
    browser.click_when_enabled("Начать").await
}

/// At the selfie step: waits for the automatic picture and sends it; at the liveness
/// step, before its start.
pub async fn send_selfie(browser: &Browser) -> WebDriverResult<()> {
    browser
        .driver
        .query(By::Css("img.selfie-preview"))
        .wait(CHALLENGE_WAIT, Duration::from_millis(100))
        .first()
        .await?;
    browser.button("Отправить").await?.click().await?;
    browser
        .wait_for_text_containing("p.success", "Снимок принят")
        .await?;
    browser.button("Продолжить").await?.click().await?;
    browser.wait_for_text("h1", "Видеоидентификация").await
}
