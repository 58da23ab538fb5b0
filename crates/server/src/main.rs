use clap::Parser;
use qoltanba_server::audit::{self, Verdict};
use qoltanba_server::config::{Command, Config};
use qoltanba_server::startup::{self, Application};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = Config::parse();
    if let Some(Command::VerifyAudit) = config.command {
        let db = startup::connect(&config).await?;
        return match audit::verify(&db).await? {
            Verdict::Intact { rows } => {
                println!("The audit trail is intact: {rows} rows.");
                Ok(())
            }
            Verdict::Broken { id } => {
                eprintln!("The audit trail is broken at row {id}.");
                std::process::exit(1)
            }
        };
    }
    let app = Application::build(config).await?;
    println!("Qoltanba is running at http://{}/", app.address());
    app.run_until_stopped().await?;
    Ok(())
}
