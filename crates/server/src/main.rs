use clap::Parser;
use qoltanba_server::config::Config;
use qoltanba_server::startup::Application;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let app = Application::build(Config::parse()).await?;
    println!("Qoltanba is running at http://{}/", app.address());
    app.run_until_stopped().await?;
    Ok(())
}
