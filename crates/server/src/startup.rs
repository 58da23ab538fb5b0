//! Building and running the application, the same way for `main` and for tests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware;
use axum::Router;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::applications::Applications;
use crate::biometrics::{LazyModels, ModelError};
use crate::ca::{Authority, CaError};
use crate::calls::Calls;
use crate::config::Config;
use crate::digital_id::DigitalIds;
use crate::face_check::{ChallengeSource, FaceChecks, RandomChallenges};
use crate::phone_check::PhoneChecks;
use crate::phone_registration::PhoneRegistrations;
use crate::registries::{SqliteIndividuals, SqliteLegalEntities, SqliteMobileCitizens};
use crate::secret::ServerSecret;
use crate::sms::OutboxGateway;
use crate::state::AppState;
use crate::vault::Vault;
use crate::{api, demo, error, retention, spa};

/// Requests carry JSON and, later, document photos; 1 MiB keeps abuse cheap. Routes
/// that take uploads set their own, larger limit.
pub const BODY_LIMIT: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the data folder: {0}")]
    DataDir(#[source] std::io::Error),
    #[error("cannot read or create the server's secret: {0}")]
    Secret(#[source] std::io::Error),
    #[error("cannot open the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot apply the migrations: {0}")]
    Migrations(#[from] sqlx::migrate::MigrateError),
    #[error("cannot listen on the address: {0}")]
    Bind(#[source] std::io::Error),
    #[error("cannot load the face models: {0}")]
    Models(#[from] ModelError),
    #[error("cannot open the certification authority: {0}")]
    Ca(#[from] CaError),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        Self::build_with(config, Arc::new(RandomChallenges)).await
    }

    /// With a chosen source of liveness challenges: tests fix the order of movements
    /// to match their camera videos.
    pub async fn build_with(
        config: Config,
        challenges: Arc<dyn ChallengeSource>,
    ) -> Result<Self, StartupError> {
        std::fs::create_dir_all(&config.data_dir).map_err(StartupError::DataDir)?;
        let db = connect(&config).await?;
        sqlx::migrate!("./migrations").run(&db).await?;
        if config.demo {
            demo::seed(&db).await?;
        }
        let secret =
            ServerSecret::load_or_create(&config.data_dir).map_err(StartupError::Secret)?;
        let models = LazyModels::new(&config.models_dir)?;
        let individuals = Arc::new(SqliteIndividuals(db.clone()));
        let legal_entities = Arc::new(SqliteLegalEntities(db.clone()));
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(StartupError::Bind)?;
        let public_url = match &config.public_url {
            Some(url) => url.clone(),
            None => format!(
                "http://{}",
                listener.local_addr().map_err(StartupError::Bind)?
            ),
        };
        let ca = Authority::load_or_create(
            &config.data_dir.join("ca"),
            config.ca_passphrase.as_deref(),
            &public_url,
        )?;
        let applications = Arc::new(Applications::new(
            db.clone(),
            Arc::new(ca),
            individuals.clone(),
            legal_entities.clone(),
        ));
        crate::applications::spawn_expiry(applications.clone());
        let vault = Vault::new(&secret);
        retention::spawn(db.clone(), config.media_retention());
        let state = AppState {
            demo: config.demo,
            secure_cookies: public_url.starts_with("https://"),
            face_checks: Arc::new(FaceChecks::new(
                db.clone(),
                models,
                individuals.clone(),
                challenges,
                vault.clone(),
            )),
            digital_ids: Arc::new(DigitalIds::new(
                db.clone(),
                vault.clone(),
                individuals.clone(),
                config.media_retention(),
            )),
            applications: applications.clone(),
            vault,
            client_settings: config.client_settings(),
            individuals,
            legal_entities,
            mobile_citizens: Arc::new(SqliteMobileCitizens(db.clone())),
            sms: Arc::new(OutboxGateway(db.clone())),
            phone_registrations: Arc::new(PhoneRegistrations::new(db.clone(), secret.clone())),
            phone_checks: Arc::new(PhoneChecks::new(db.clone(), secret)),
            calls: Arc::new(Calls::new(config.call_wait_seconds, config.ice_servers())),
            db,
        };
        let router = router(state.clone(), &config);
        Ok(Self {
            listener,
            router,
            state,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.address().port()
    }

    /// The state the handlers see, for tests that reach past the HTTP API.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    }
}

/// The database in the data folder, as the server opens it.
pub async fn connect(config: &Config) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(config.database_path())
        .create_if_missing(true)
        // WAL lets status reads go on while an application is being written.
        .journal_mode(SqliteJournalMode::Wal)
        // In WAL mode NORMAL flushes to disk at checkpoints, not at each commit: a power
        // cut may lose the last commits (a crash of the server loses none) and the file
        // stays consistent. FULL's flush per commit took longer than issuing an
        // application's two certificates (`make bench`, bench/results.md).
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true);
    // A connection is a file this process holds, with nothing to go stale between uses:
    // sqlx's test on each acquire cost a round trip to the connection's thread per query.
    SqlitePoolOptions::new()
        .test_before_acquire(false)
        .connect_with(options)
        .await
}

fn router(state: AppState, config: &Config) -> Router {
    let csp = HeaderValue::from_str(&spa::content_security_policy(&config.static_dir))
        .expect("the policy is ASCII");
    Router::new()
        .nest("/api", api::router(state.clone()))
        .nest("/pki", api::pki::router(state))
        .merge(spa::router(&config.static_dir))
        // axum's extractors enforce the limit, so a route can raise it for itself
        // (document photos); nothing else reads a body.
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::map_response(error::json_for_bare_errors))
        .layer(CompressionLayer::new().compress_when(compressible()))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::REFERRER_POLICY, "no-referrer"))
        .layer(security_header(
            HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(self), geolocation=()",
        ))
        .layer(security_header(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(TraceLayer::new_for_http())
        // After the layers: MediaPipe's loader needs `'unsafe-eval'`, which the app's
        // policy rightly refuses.
        .merge(spa::bench(config.bench_dir.as_deref()))
}

/// Answers that are worth compressing. The API's are mostly a few hundred bytes, which
/// fit in one packet either way, and setting up brotli for each took a third of the
/// status check's CPU (`make bench`).
fn compressible() -> impl Predicate {
    DefaultPredicate::new().and(SizeAbove::new(1024))
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}
