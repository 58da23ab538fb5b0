//! The application under test, started exactly as `qoltanba-server` starts it.

use std::path::PathBuf;
use std::sync::Arc;

use qoltanba_domain::liveness::Action;
use qoltanba_server::config::Config;
use qoltanba_server::face_check::{ChallengeSource, RandomChallenges};
use qoltanba_server::startup::Application;
use qoltanba_server::state::AppState;
use tempfile::TempDir;

/// Challenges in a fixed order, to match what a test's camera video does.
struct Fixed {
    actions: Vec<Action>,
    deadline_seconds: u32,
}

impl ChallengeSource for Fixed {
    fn actions(&self) -> Vec<Action> {
        self.actions.clone()
    }

    fn deadline_seconds(&self) -> u32 {
        self.deadline_seconds
    }
}

pub struct TestServer {
    pub base_url: String,
    /// The running app's state, to read the SMS outbox or move its clock-dependent rows.
    pub state: AppState,
    /// The built SPA it serves.
    pub static_dir: PathBuf,
    // Held so the SQLite file lives as long as the test.
    _data_dir: TempDir,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(Arc::new(RandomChallenges), |_| {}).await
    }

    /// As `start`, with the test's changes to the configuration: e.g.
    /// `TestServer::start_configured(|config| config.call_wait_seconds = 2)`.
    pub async fn start_configured(configure: impl FnOnce(&mut Config)) -> Self {
        Self::start_with(Arc::new(RandomChallenges), configure).await
    }

    /// A server whose liveness challenges are always these actions, with this deadline.
    pub async fn with_challenge(actions: &[Action], deadline_seconds: u32) -> Self {
        Self::start_with(
            Arc::new(Fixed {
                actions: actions.to_vec(),
                deadline_seconds,
            }),
            |_| {},
        )
        .await
    }

    async fn start_with(
        challenges: Arc<dyn ChallengeSource>,
        configure: impl FnOnce(&mut Config),
    ) -> Self {
        // `QOLTANBA_E2E_DIST` points at another build (e.g. a benchmark's own, while
        // other tests use `dist/`); relative paths are from the workspace root.
        let dist = std::env::var("QOLTANBA_E2E_DIST").unwrap_or_else(|_| "dist".to_owned());
        let static_dir = crate::workspace_root().join(dist);
        assert!(
            static_dir.join("index.html").exists(),
            "{} has no built SPA: run `make test` (it builds it with trunk first)",
            static_dir.display()
        );
        let data_dir = tempfile::tempdir().expect("a temporary data folder");
        let mut config = Config::for_tests(data_dir.path(), static_dir.clone());
        configure(&mut config);
        let app = Application::build_with(config, challenges)
            .await
            .expect("the application starts");
        let base_url = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped());
        Self {
            base_url,
            state,
            static_dir,
            _data_dir: data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

impl TestServer {
    /// The newest SMS to `phone`, read from the outbox as a user reads their phone.
    pub async fn last_sms(&self, phone: &str) -> String {
        let messages: Vec<qoltanba_domain::api::SmsMessage> =
            reqwest::get(self.url(&format!("/api/dev/sms?to={}", phone.replace('+', "%2B"))))
                .await
                .expect("the outbox answers")
                .json()
                .await
                .expect("a list of messages");
        messages.into_iter().next().expect("an SMS was sent").text
    }

    /// The code in the newest SMS to `phone`.
    pub async fn last_code(&self, phone: &str) -> String {
        let text = self.last_sms(phone).await;
        text.split(|c: char| !c.is_ascii_digit())
            .find(|word| word.len() == 5)
            .unwrap_or_else(|| panic!("no code in {text:?}"))
            .to_owned()
    }
}

impl TestServer {
    /// A verified phone check for a demo person, made through the API: the session the
    /// steps after the mobile-citizens check work with.
    pub async fn verified_session(&self, bin: &str, iin: &str, phone: &str) -> String {
        self.verify_code(
            "/api/v1/phone-checks",
            serde_json::json!({
                "profile": { "kind": "legal_entity", "template": "employee" },
                "bin": bin, "iin": iin, "language": "ru"
            }),
            phone,
        )
        .await
    }

    /// A Digital ID session (a verified sign-in) after the application's check.
    pub async fn digital_id_session(&self, application: &str, phone: &str) -> String {
        self.verify_code(
            "/api/v1/digital-id/sign-ins",
            serde_json::json!({ "application": application, "phone": phone }),
            phone,
        )
        .await
    }

    /// Records that the face check of this Digital ID session passed with `outcome`:
    /// for tests of the steps after it (the face check has its own tests).
    pub async fn face_checked(&self, session: &str, outcome: &str) {
        let now = time::OffsetDateTime::now_utc();
        sqlx::query(
            "INSERT INTO liveness_challenges (id, session, iin, actions, issued_at, expires_at, status, outcome, finished_at)
             SELECT ?, id, iin, '[]', ?, ?, 'passed', ?, ? FROM phone_checks WHERE id = ?",
        )
        .bind(format!("challenge-{session}"))
        .bind(now)
        .bind(now)
        .bind(outcome)
        .bind(now)
        .bind(session)
        .execute(&self.state.db)
        .await
        .expect("the face check is recorded");
    }

    /// Moves the codes sent to `iin` back past the resend interval, so that another can
    /// be sent at once: a person applying again minutes later, not seconds.
    pub async fn allow_resend(&self, iin: &str) {
        let back = time::OffsetDateTime::now_utc()
            - time::Duration::seconds(qoltanba_domain::otp::OTP_RESEND_AFTER_SECONDS + 1);
        sqlx::query("UPDATE phone_checks SET created_at = ? WHERE iin = ? AND created_at > ?")
            .bind(back)
            .bind(iin)
            .bind(back)
            .execute(&self.state.db)
            .await
            .expect("the codes' times are moved");
    }

    /// Starts a phone check at `path` and verifies it with the code from the outbox.
    async fn verify_code(&self, path: &str, body: serde_json::Value, phone: &str) -> String {
        let client = reqwest::Client::new();
        let started: serde_json::Value = client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("the phone check starts")
            .json()
            .await
            .expect("a started check");
        let id = started["id"].as_str().expect("the check's id").to_owned();
        let code = self.last_code(phone).await;
        let verified = client
            .post(self.url(&format!("/api/v1/phone-checks/{id}/verification")))
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .expect("the code is checked");
        assert_eq!(verified.status(), 200, "the code from the outbox is right");
        id
    }
}
