use std::net::SocketAddr;
use std::path::PathBuf;

use qoltanba_domain::api::{ClientSettings, KioskSettings};
use qoltanba_domain::call::IceServer;

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
    /// The face models (the repository's `models/`), which the server runs too.
    #[arg(long, env = "QOLTANBA_MODELS_DIR", default_value = "models")]
    pub models_dir: PathBuf,
    /// Seed the demo registries and open `/api/dev/*` (the SMS outbox).
    #[arg(long, env = "QOLTANBA_DEMO")]
    pub demo: bool,
    /// Hours selfies and document photos are kept after the document's decision.
    #[arg(long, env = "QOLTANBA_MEDIA_RETENTION_HOURS", default_value_t = 24)]
    pub media_retention_hours: u32,
    /// This server's address as clients reach it, written into certificates (CRL and
    /// CA issuers links). Default: `http://` and the address it listens on.
    #[arg(long, env = "QOLTANBA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Encrypts the CA keys in the data folder (PKCS#8, PBES2). Only from the
    /// environment, so that it never shows in a process list.
    #[arg(skip = std::env::var("QOLTANBA_CA_PASSPHRASE").ok())]
    pub ca_passphrase: Option<String>,
    /// A STUN or TURN server for the video call's browsers (`stun:host:port`,
    /// `turn:host:port`); repeat the flag for several, or separate them by commas in the
    /// variable. None is needed when both browsers are on one network.
    #[arg(long = "ice-server", env = "QOLTANBA_ICE_SERVERS", value_delimiter = ',',
          value_parser = ice_server)]
    pub ice_servers: Vec<String>,
    /// The TURN servers' user name (STUN needs none).
    #[arg(long, env = "QOLTANBA_TURN_USERNAME")]
    pub turn_username: Option<String>,
    /// The TURN servers' credential. Only from the environment, like the CA passphrase.
    #[arg(skip = std::env::var("QOLTANBA_TURN_CREDENTIAL").ok())]
    pub turn_credential: Option<String>,
    /// Seconds an applicant waits for an operator before his page asks whether to keep
    /// waiting or leave.
    #[arg(long, env = "QOLTANBA_CALL_WAIT_SECONDS", default_value_t = 300)]
    pub call_wait_seconds: u32,
    /// A public kiosk's server: its pages go fullscreen, offer on-screen keypads and
    /// wipe everything after `--kiosk-idle-seconds` without a touch.
    #[arg(long, env = "QOLTANBA_KIOSK")]
    pub kiosk: bool,
    #[arg(long, env = "QOLTANBA_KIOSK_IDLE_SECONDS", default_value_t = 120)]
    pub kiosk_idle_seconds: u32,
    /// How long «Продолжить?» waits before the wipe.
    #[arg(long, env = "QOLTANBA_KIOSK_COUNTDOWN_SECONDS", default_value_t = 30)]
    pub kiosk_countdown_seconds: u32,
    /// `make bench` only: a folder served at `/bench/` (its pages, and MediaPipe's web
    /// build, the reference it measures against). Never given in production.
    #[arg(long, env = "QOLTANBA_BENCH_DIR")]
    pub bench_dir: Option<PathBuf>,
    /// Without a command the server runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Checks the audit trail's hash chain in the data folder's database; exits 0 when
    /// it is intact, 1 at the first broken row.
    VerifyAudit,
}

impl Config {
    /// A server for tests and the end-to-end harness: loopback on a free port, demo on.
    pub fn for_tests(data_dir: impl Into<PathBuf>, static_dir: impl Into<PathBuf>) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            static_dir: static_dir.into(),
            models_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models")),
            demo: true,
            media_retention_hours: 24,
            public_url: None,
            ca_passphrase: None,
            ice_servers: Vec::new(),
            turn_username: None,
            turn_credential: None,
            call_wait_seconds: 300,
            kiosk: false,
            kiosk_idle_seconds: 120,
            kiosk_countdown_seconds: 30,
            bench_dir: None,
            command: None,
        }
    }

    pub fn media_retention(&self) -> time::Duration {
        time::Duration::hours(self.media_retention_hours.into())
    }

    pub fn client_settings(&self) -> ClientSettings {
        ClientSettings {
            kiosk: self.kiosk.then_some(KioskSettings {
                idle_seconds: self.kiosk_idle_seconds,
                countdown_seconds: self.kiosk_countdown_seconds,
            }),
        }
    }

    /// The ICE servers as the browsers take them: TURN ones with the credentials.
    pub fn ice_servers(&self) -> Vec<IceServer> {
        self.ice_servers
            .iter()
            .map(|urls| {
                let turn = urls.starts_with("turn");
                IceServer {
                    urls: urls.clone(),
                    username: self.turn_username.clone().filter(|_| turn),
                    credential: self.turn_credential.clone().filter(|_| turn),
                }
            })
            .collect()
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("qoltanba.db")
    }
}

/// An ICE server's URL as WebRTC takes it (RFC 7064, 7065): a typo would otherwise show
/// only as calls that never connect.
fn ice_server(url: &str) -> Result<String, String> {
    let valid = ["stun:", "stuns:", "turn:", "turns:"]
        .iter()
        .any(|scheme| url.len() > scheme.len() && url.starts_with(scheme));
    if valid {
        Ok(url.to_owned())
    } else {
        Err("expected stun:, stuns:, turn: or turns: and a host".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_servers_carry_the_credentials_and_stun_servers_none() {
        let mut config = Config::for_tests("data", "dist");
        config.ice_servers = vec![
            "stun:stun.example.kz".into(),
            "turns:turn.example.kz".into(),
        ];
        config.turn_username = Some("kiosk".into());
        config.turn_credential = Some("secret".into());
        let servers = config.ice_servers();
        assert_eq!(servers[0].username, None);
        assert_eq!(servers[0].credential, None);
        assert_eq!(servers[1].username.as_deref(), Some("kiosk"));
        assert_eq!(servers[1].credential.as_deref(), Some("secret"));
        assert!(ice_server("http://example.kz").is_err());
        assert!(ice_server("turn:").is_err());
    }
}
