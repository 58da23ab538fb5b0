//! The application under test, started exactly as `qoltanba-server` starts it.

use qoltanba_server::config::Config;
use qoltanba_server::startup::Application;
use tempfile::TempDir;

pub struct TestServer {
    pub base_url: String,
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
        tokio::spawn(app.run_until_stopped());
        Self {
            base_url,
            _data_dir: data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
