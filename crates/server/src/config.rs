use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server needs to start, from flags or `QOLTANBA_*` variables.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "qoltanba-server", version, about)]
pub struct Config {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, env = "QOLTANBA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Folder for the SQLite database (created if missing).
    #[arg(long, env = "QOLTANBA_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// The built SPA (trunk's `dist/`).
    #[arg(long, env = "QOLTANBA_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// Seed the demo registries and open `/api/dev/*` (the SMS outbox).
    #[arg(long, env = "QOLTANBA_DEMO")]
    pub demo: bool,
}

impl Config {
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("qoltanba.db")
    }
}
