//! The real application on a random port against a SQLite file in a temp folder.

mod applications;
mod cabinet;
mod calls;
mod certificate_checks;
mod digital_id;
mod face_checks;
mod health;
mod moderation;
mod ocsp;
mod phone_checks;
mod registries;
mod sms;
mod spa;

use std::sync::Arc;

use qoltanba_server::config::Config;
use qoltanba_server::face_check::{ChallengeSource, RandomChallenges};
use qoltanba_server::startup::Application;
use qoltanba_server::state::AppState;
use tempfile::TempDir;

/// trunk's output in miniature: an inline boot script the CSP must admit by hash.
pub const INDEX_HTML: &str =
    "<!DOCTYPE html><html><head><script type=\"module\">boot()</script></head><body></body></html>";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub data_dir: TempDir,
    pub static_dir: TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the request is answered")
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(tempfile::tempdir().unwrap(), true).await
}

/// Starts the app on `data_dir` (reused to test restarts).
pub async fn spawn_with(data_dir: TempDir, demo: bool) -> TestApp {
    spawn(data_dir, demo, Arc::new(RandomChallenges)).await
}

/// Starts the demo app with a chosen source of liveness challenges.
pub async fn spawn_with_challenges(challenges: Arc<dyn ChallengeSource>) -> TestApp {
    spawn(tempfile::tempdir().unwrap(), true, challenges).await
}

async fn spawn(data_dir: TempDir, demo: bool, challenges: Arc<dyn ChallengeSource>) -> TestApp {
    let static_dir = tempfile::tempdir().unwrap();
    std::fs::write(static_dir.path().join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(
        static_dir
            .path()
            .join("qoltanba-web-0123456789abcdef_bg.wasm"),
        vec![b'w'; 4096],
    )
    .unwrap();
    let config = Config {
        demo,
        ..Config::for_tests(data_dir.path(), static_dir.path())
    };
    let app = Application::build_with(config, challenges)
        .await
        .expect("the app starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder().no_gzip().build().unwrap(),
        state,
        data_dir,
        static_dir,
    }
}

/// The body of an API error, checked to have the one shape.
pub async fn error_code(response: reqwest::Response) -> (u16, qoltanba_domain::api::ErrorDetail) {
    let status = response.status().as_u16();
    let body: qoltanba_domain::api::ErrorBody = response.json().await.expect("the error shape");
    (status, body.error)
}
