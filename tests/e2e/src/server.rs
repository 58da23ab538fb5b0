//! The application under test, started exactly as `qoltanba-server` starts it.

use qoltanba_server::config::Config;
use qoltanba_server::startup::Application;
use qoltanba_server::state::AppState;
use tempfile::TempDir;

pub struct TestServer {
    pub base_url: String,
    /// The running app's state, to read the SMS outbox or move its clock-dependent rows.
    pub state: AppState,
    // Held so the SQLite file lives as long as the test.
    _data_dir: TempDir,
}

impl TestServer {
    pub async fn start() -> Self {
        let static_dir = crate::workspace_root().join("dist");
        assert!(
            static_dir.join("index.html").exists(),
            "{} has no built SPA: run `make test` (it builds it with trunk first)",
            static_dir.display()
        );
        let data_dir = tempfile::tempdir().expect("a temporary data folder");
        let config = Config {
            bind: "127.0.0.1:0".parse().expect("a loopback address"),
            data_dir: data_dir.path().to_path_buf(),
            static_dir,
            demo: true,
        };
        let app = Application::build(config)
            .await
            .expect("the application starts");
        let base_url = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped());
        Self {
            base_url,
            state,
            _data_dir: data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

impl TestServer {
    /// The code in the newest SMS to `phone`, read from the outbox as a user reads their phone.
    pub async fn last_code(&self, phone: &str) -> String {
        let messages: Vec<qoltanba_domain::api::SmsMessage> =
            reqwest::get(self.url(&format!("/api/dev/sms?to={}", phone.replace('+', "%2B"))))
                .await
                .expect("the outbox answers")
                .json()
                .await
                .expect("a list of messages");
        let text = &messages.first().expect("an SMS was sent").text;
        text.split(|c: char| !c.is_ascii_digit())
            .find(|word| word.len() == 5)
            .unwrap_or_else(|| panic!("no code in {text:?}"))
            .to_owned()
    }
}
