//! Figure 4 of `make bench`: certificates issued per second through the server's real
//! path, against OpenSSL's raw ECDSA P-384 signatures per second on as many cores.

mod common;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::BenchResult;
use der::DecodePem;
use qoltanba_domain::api::ApplicationSubmission;
use qoltanba_domain::{ApplicationStatus, KeyPurpose};
use qoltanba_server::applications::{Applications, Submitted};
use time::OffsetDateTime;
use x509_cert::request::CertReq;

/// Applications per measured row (two certificates each).
const APPLICATIONS: usize = 600;
/// Submitted before measuring: the first ones fill caches and the connection pool.
const WARM_UP: usize = 20;
/// Calls per part of the time breakdown.
const PART_CALLS: u32 = 200;
/// The issue's target: certificates at half of OpenSSL's signing rate or more.
const TARGET_RATIO: f64 = 0.5;

fn main() -> BenchResult<()> {
    tokio::runtime::Runtime::new()?.block_on(run())
}

struct Row {
    submitters: usize,
    /// OpenSSL's processes: one per core the submitters can use.
    processes: usize,
    certificates_per_second: f64,
    openssl_signs_per_second: f64,
}

impl Row {
    fn ratio(&self) -> f64 {
        self.certificates_per_second / self.openssl_signs_per_second
    }
}

async fn run() -> BenchResult<()> {
    let dir = tempfile::tempdir()?;
    let server = common::demo_server(dir.path()).await?;
    let state = server.state();
    let applications = state.applications.clone();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);

    submit_all(
        &applications,
        common::submissions(&state.db, WARM_UP).await?,
        1,
    )
    .await?;
    let mut rows = Vec::new();
    // One at a time against one OpenSSL process; then as many as cores, and more, as a
    // server under load has them, against `-multi` on all cores.
    let mut counts = vec![1, cores, 4 * cores];
    counts.dedup();
    for submitters in counts {
        let submissions = common::submissions(&state.db, APPLICATIONS).await?;
        let elapsed = submit_all(&applications, submissions, submitters).await?;
        let certificates_per_second = (2 * APPLICATIONS) as f64 / elapsed.as_secs_f64();
        eprintln!("{submitters} at once: {certificates_per_second:.0} certificates/s");
        let processes = submitters.min(cores);
        rows.push(Row {
            submitters,
            processes,
            certificates_per_second,
            openssl_signs_per_second: openssl_signs_per_second(processes)?,
        });
    }
    let parts = Parts::measure(&applications, &state.db).await?;
    common::write_section("04-issuance.md", &section(&rows, &parts, cores))?;
    Ok(())
}

/// Submits everything, spread over `submitters` concurrent tasks; the time it took.
async fn submit_all(
    applications: &Arc<Applications>,
    submissions: Vec<ApplicationSubmission>,
    submitters: usize,
) -> BenchResult<Duration> {
    let mut shares = vec![Vec::new(); submitters];
    for (i, submission) in submissions.into_iter().enumerate() {
        shares[i % submitters].push(submission);
    }
    let start = Instant::now();
    let tasks: Vec<_> = shares
        .into_iter()
        .map(|share| {
            let applications = applications.clone();
            tokio::spawn(async move {
                for submission in &share {
                    match applications
                        .submit(submission, OffsetDateTime::now_utc())
                        .await?
                    {
                        Submitted::Created(created)
                            if created.status == ApplicationStatus::Issued => {}
                        _ => return Err("an application was not issued at once".into()),
                    }
                }
                BenchResult::Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    Ok(start.elapsed())
}

/// One certificate's time split into what the CA and the request check take alone,
/// on one core; the rest is the database and the bookkeeping around them.
struct Parts {
    certificate: Duration,
    request_check: Duration,
}

impl Parts {
    async fn measure(applications: &Applications, db: &sqlx::SqlitePool) -> BenchResult<Self> {
        let submission = common::submissions(db, 1).await?.remove(0);
        let subject = CertReq::from_pem(submission.authentication_request.as_bytes())?
            .info
            .subject;
        let start = Instant::now();
        for _ in 0..PART_CALLS {
            qoltanba_pki::request::verify(&submission.authentication_request, &subject)?;
        }
        let request_check = start.elapsed() / PART_CALLS;
        let key = qoltanba_pki::request::verify(&submission.authentication_request, &subject)?;
        let start = Instant::now();
        for _ in 0..PART_CALLS {
            applications.authority().issue(
                subject.clone(),
                &key,
                KeyPurpose::Authentication,
                common::FIRST_HEAD,
                OffsetDateTime::now_utc(),
            )?;
        }
        Ok(Self {
            certificate: start.elapsed() / PART_CALLS,
            request_check,
        })
    }
}

/// `openssl speed -seconds 5 ecdsap384` on `processes` processes: signatures per second.
fn openssl_signs_per_second(processes: usize) -> BenchResult<f64> {
    let mut command = Command::new("openssl");
    command.args(["speed", "-seconds", "5"]);
    if processes > 1 {
        command.args(["-multi", &processes.to_string()]);
    }
    let output = command.arg("ecdsap384").output()?;
    let text = String::from_utf8(output.stdout)?;
    // " 384 bits ecdsa (nistp384)   0.0007s   0.0006s   1371.3   1606.2": sign/s is
    // the next to last column.
    text.lines()
        .rfind(|line| line.contains("(nistp384)"))
        .and_then(|line| line.split_whitespace().rev().nth(1))
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| format!("no P-384 line in `openssl speed`'s output:\n{text}").into())
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1e3)
}

fn section(rows: &[Row], parts: &Parts, cores: usize) -> String {
    let mut text = format!(
        "## Issuance on the server\n\n\
         One issuance is what `POST /api/v1/applications` does for the demo first head, \
         called through the server's library (`Applications::submit`, no HTTP): both PKCS#10 \
         requests checked (P-256 signatures, subject against the registries), the \
         application's two certificates (authentication, signing) built and signed by the \
         issuing CA (ECDSA P-384, SHA-384), then the application, its keys and certificates, \
         its history and audit rows written in one transaction on a SQLite file in WAL mode \
         (the server's release profile, `opt-level = 3` with LTO). {APPLICATIONS} \
         applications per row, their consents and keys made beforehand. The reference is \
         `openssl speed -seconds 5 ecdsap384` on one process per core the submitters can \
         use (`-multi`): a bare signature, so the ratio is certificates per second over signatures per second. The \
         machine has {cores} cores, shared with other work.\n\n\
         | submitters at once | OpenSSL processes | certificates/s | OpenSSL P-384 \
         signatures/s | ratio |\n\
         | --- | ---: | ---: | ---: | ---: |\n"
    );
    for row in rows {
        text += &format!(
            "| {} | {} | {:.0} | {:.0} | {:.2} |\n",
            row.submitters,
            row.processes,
            row.certificates_per_second,
            row.openssl_signs_per_second,
            row.ratio()
        );
    }
    let per_certificate = Duration::from_secs_f64(1.0 / rows[0].certificates_per_second);
    let rest = per_certificate.saturating_sub(parts.certificate + parts.request_check);
    text += &format!(
        "\nOne certificate's {} with one submitter: the CA's build and signature alone {}, \
         the request's check alone {}, the database and the rest {}.\n",
        milliseconds(per_certificate),
        milliseconds(parts.certificate),
        milliseconds(parts.request_check),
        milliseconds(rest),
    );
    let missed = |row: &Row| row.ratio() < TARGET_RATIO;
    let verdict = |row: &Row| if missed(row) { "missed" } else { "met" };
    // A server's capacity on its cores is what it issues with submissions enough to keep
    // them busy: the last row.
    let loaded = rows.last().expect("at least one row");
    text += &format!(
        "\nTarget, half of OpenSSL's signing rate or more: {} on one core (one at a time), {} \
         on all {cores} cores with the server loaded ({} at once).",
        verdict(&rows[0]),
        verdict(loaded),
        loaded.submitters,
    );
    if missed(&rows[0]) {
        text += &format!(
            " Elliptic-curve arithmetic, the request's P-256 check and the CA's P-384 \
             signature (RustCrypto's p256 and p384), takes {} of a certificate's {}, against \
             OpenSSL's hand-written assembly for the signature alone.",
            milliseconds(parts.certificate + parts.request_check),
            milliseconds(per_certificate),
        );
    }
    if let Some(row) = rows.iter().find(|row| row.submitters > 1 && missed(row)) {
        text += &format!(
            " With {} at once (ratio {:.2}) each submitter spends much of an application \
             waiting: on its statements, each a round trip to SQLite's thread, and on its turn \
             to write (SQLite has one writer; the CA signs before the turn); the cores idle \
             meanwhile unless more submissions are under way.",
            row.submitters,
            row.ratio(),
        );
    }
    text + "\n"
}
