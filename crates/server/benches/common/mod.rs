//! What both server benchmarks share: the demo server's data in a temp folder,
//! applications ready to submit, and where a figure's markdown goes.

use std::path::{Path, PathBuf};

use qoltanba_domain::api::ApplicationSubmission;
use qoltanba_domain::{Bin, CertificateProfile, Iin, Template};
use qoltanba_pki::{Holder, Organisation};
use qoltanba_server::config::Config;
use qoltanba_server::demo::{ORGANISATIONS, PEOPLE};
use qoltanba_server::secret::random_id;
use qoltanba_server::startup::Application;
use sqlx::SqlitePool;
use time::OffsetDateTime;

/// Send, so that a spawned task can fail with it.
pub type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The demo server on a fresh data folder, built as `main` builds it (not serving).
pub async fn demo_server(data_dir: &Path) -> BenchResult<Application> {
    Ok(Application::build(Config::for_tests(data_dir, data_dir)).await?)
}

/// The profile of the demo organisation's first head, whose certificates are issued at
/// submission (no head has to confirm).
pub const FIRST_HEAD: CertificateProfile = CertificateProfile::LegalEntity {
    template: Template::FirstHead,
};

/// The demo organisation's first head.
fn first_head() -> BenchResult<Holder> {
    let organisation = &ORGANISATIONS[0];
    let person = PEOPLE
        .iter()
        .find(|p| p.iin == organisation.first_head)
        .ok_or("the demo has its first head")?;
    Ok(Holder {
        surname: person.surname.into(),
        name: person.name.into(),
        patronymic: Some(person.patronymic.into()),
        iin: Iin::parse(person.iin)?,
        organisation: Some(Organisation {
            name: organisation.name.into(),
            bin: Bin::parse(organisation.bin)?,
        }),
        email: None,
    })
}

/// `count` submissions of the first head, each with its own consent and two fresh keys'
/// requests. The consents are written as Digital ID leaves them (a verified session, a
/// verified document): that part is not what the benchmarks measure.
pub async fn submissions(db: &SqlitePool, count: usize) -> BenchResult<Vec<ApplicationSubmission>> {
    let holder = first_head()?;
    let now = OffsetDateTime::now_utc();
    let session = random_id();
    let document = random_id();
    let bin = holder.organisation.as_ref().map(|o| o.bin.as_str());
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO phone_checks (id, purpose, iin, bin, profile, phone, code_mac, expires_at,
             verified_at, created_at, client_ip)
         VALUES (?, 'digital_id', ?, ?, ?, '+77011234567', x'00', ?, ?, ?, '127.0.0.1')",
    )
    .bind(&session)
    .bind(holder.iin.as_str())
    .bind(bin)
    .bind(serde_json::to_string(&FIRST_HEAD)?)
    .bind(now)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO documents (id, iin, session, kind, number, expires_on, fields, sources,
             identity, mismatches, status, submitted_at)
         VALUES (?, ?, ?, 'id_card', '045123781', '2031-04-11', '{}', '{}', 'verified', '[]',
             'verified', ?)",
    )
    .bind(&document)
    .bind(holder.iin.as_str())
    .bind(&session)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut submissions = Vec::with_capacity(count);
    for _ in 0..count {
        let consent = random_id();
        sqlx::query(
            "INSERT INTO consents (id, iin, document, session, granted_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&consent)
        .bind(holder.iin.as_str())
        .bind(&document)
        .bind(&session)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let request = || -> BenchResult<String> {
            let subject = holder.distinguished_name()?;
            Ok(qoltanba_pki::request::build(
                &qoltanba_pki::generate_key(),
                subject,
            )?)
        };
        submissions.push(ApplicationSubmission {
            consent,
            request_id: random_id(),
            email: None,
            treasury: None,
            authentication_request: request()?,
            signing_request: request()?,
            language: Default::default(),
        });
    }
    tx.commit().await?;
    Ok(submissions)
}

/// Writes a figure's section where `make bench` collects them (`BENCH_OUT`, else
/// `target/bench`), and prints it.
pub fn write_section(file: &str, markdown: &str) -> BenchResult<()> {
    let dir = std::env::var_os("BENCH_OUT").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench")),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(file), markdown)?;
    println!("{markdown}");
    Ok(())
}
