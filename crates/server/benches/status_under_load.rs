//! Figure 5 of `make bench`: the status check («Проверка статуса заявки») of the
//! release server over loopback at fixed request rates, with `oha`: p50 and p99
//! latency at each rate, and the highest rate held with p99 under 5 ms.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use common::BenchResult;
use qoltanba_server::applications::Submitted;
use serde::Deserialize;
use time::OffsetDateTime;

/// Rates tried first, doubling; then the gap between the last one held and the first
/// one missed is halved this many times.
const FIRST_RATE: u32 = 500;
const REFINEMENTS: u32 = 2;
const SECONDS_PER_RATE: u32 = 5;
/// Browsers on the status page at once, each with its kept-alive connection.
const CONNECTIONS: u32 = 50;
const P99_LIMIT_MS: f64 = 5.0;

fn main() -> BenchResult<()> {
    let dir = tempfile::tempdir()?;
    let number = seed_application(dir.path())?;
    let server = Server::start(dir.path())?;
    let url = format!("http://{}/api/v1/applications/{number}", server.address);

    let mut runs: Vec<Run> = Vec::new();
    let mut rate = FIRST_RATE;
    loop {
        let run = Run::measure(&server, &url, rate)?;
        let held = run.held();
        runs.push(run);
        if !held {
            break;
        }
        rate *= 2;
    }
    // Between the highest rate held and the first one missed (none held: below the first).
    let (mut held, mut missed) = (rate / 2, rate);
    for _ in 0..REFINEMENTS {
        let middle = held.midpoint(missed);
        let run = Run::measure(&server, &url, middle)?;
        if run.held() {
            held = middle;
        } else {
            missed = middle;
        }
        runs.push(run);
    }
    runs.sort_by_key(|run| run.rate);
    common::write_section("05-status-under-load.md", &section(&runs))?;
    Ok(())
}

/// An application of the demo first head in a fresh data folder, written through the
/// server's library as a submission would be; its number.
fn seed_application(data_dir: &Path) -> BenchResult<String> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let server = common::demo_server(data_dir).await?;
        let state = server.state();
        let submission = common::submissions(&state.db, 1).await?.remove(0);
        let submitted = state
            .applications
            .submit(&submission, OffsetDateTime::now_utc())
            .await?;
        state.db.close().await;
        match submitted {
            Submitted::Created(created) => Ok(created.number.to_string()),
            Submitted::Existing(_) => Err("the seed application existed already".into()),
        }
    })
}

/// The release server (the binary Cargo builds alongside this benchmark) on the seeded
/// data folder and a free loopback port; stopped when dropped.
struct Server {
    process: Child,
    address: String,
}

impl Server {
    fn start(data_dir: &Path) -> BenchResult<Self> {
        let process = Command::new(env!("CARGO_BIN_EXE_qoltanba-server"))
            .args(["--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .arg("--static-dir")
            .arg(data_dir)
            .arg("--models-dir")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models"))
            .stdout(Stdio::piped())
            .spawn()?;
        // Stopped on every way out from here.
        let mut server = Self {
            process,
            address: String::new(),
        };
        let stdout = server.process.stdout.take();
        let mut stdout = BufReader::new(stdout.ok_or("the server's stdout is piped")?);
        // Its logs come first; "Qoltanba is running at http://127.0.0.1:41234/" says it
        // listens.
        let mut line = String::new();
        while server.address.is_empty() {
            line.clear();
            if stdout.read_line(&mut line)? == 0 {
                return Err("the server stopped before listening".into());
            }
            if let Some(rest) = line.trim().strip_prefix("Qoltanba is running at http://") {
                server.address = rest.trim_end_matches('/').to_owned();
            }
        }
        // Drained, the pipe never fills and blocks the server's logging.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Ok(server)
    }
}

/// CPU seconds from `/proc/<process>/stat`: `[14, 15]` is the process's own user and
/// system time (all its threads), `[16, 17]` that of its children it waited for.
fn cpu_seconds(process: &str, [user, system]: [usize; 2]) -> BenchResult<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{process}/stat"))?;
    // The third field on come after the command's closing parenthesis; times are in
    // ticks of USER_HZ, 100 on Linux.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<f64>().ok());
    match (ticks(user), ticks(system)) {
        (Some(user), Some(system)) => Ok((user + system) / 100.0),
        _ => Err(format!("unreadable /proc stat: {stat}").into()),
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Already gone is fine: there is nothing left to stop.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// What `oha --output-format json` reports, the parts used here.
#[derive(Deserialize)]
struct OhaReport {
    metrics: OhaMetrics,
    #[serde(rename = "statusCodeDistribution")]
    status_codes: BTreeMap<String, u64>,
    #[serde(rename = "errorDistribution")]
    errors: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
struct OhaMetrics {
    requests_per_sec: f64,
    latency_ms: OhaLatency,
}

#[derive(Deserialize)]
struct OhaLatency {
    p50: f64,
    p99: f64,
}

/// One fixed rate, run for `SECONDS_PER_RATE`.
struct Run {
    rate: u32,
    achieved: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Answers other than 200, and requests that got no answer.
    errors: u64,
    /// The server's and oha's CPU time over the run's, in cores.
    server_cores: f64,
    oha_cores: f64,
}

impl Run {
    /// oha's latency correction counts from when a request was due, not from when it
    /// went: a server that falls behind cannot hide its queue. `-w` waits for the
    /// answers still due at the end (else oha counts them as errors).
    fn measure(server: &Server, url: &str, rate: u32) -> BenchResult<Self> {
        let server_pid = server.process.id().to_string();
        // oha is the only child this process waits for.
        let cpu = || -> BenchResult<[f64; 2]> {
            Ok([
                cpu_seconds(&server_pid, [14, 15])?,
                cpu_seconds("self", [16, 17])?,
            ])
        };
        let cpu_before = cpu()?;
        let start = Instant::now();
        let output = Command::new("oha")
            .args(["--no-tui", "--output-format", "json"])
            .args(["--latency-correction", "-w"])
            .args(["-z", &format!("{SECONDS_PER_RATE}s")])
            .args(["-q", &rate.to_string()])
            .args(["-c", &CONNECTIONS.to_string()])
            .arg(url)
            .output()
            .map_err(|e| format!("cannot run oha (`make bench` installs it): {e}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
        }
        let seconds = start.elapsed().as_secs_f64();
        let cpu_after = cpu()?;
        let cores = |i: usize| (cpu_after[i] - cpu_before[i]) / seconds;
        let report: OhaReport = serde_json::from_slice(&output.stdout)?;
        let failed_answers: u64 = report
            .status_codes
            .iter()
            .filter(|(code, _)| code.as_str() != "200")
            .map(|(_, count)| count)
            .sum();
        let run = Self {
            rate,
            achieved: report.metrics.requests_per_sec,
            p50_ms: report.metrics.latency_ms.p50,
            p99_ms: report.metrics.latency_ms.p99,
            errors: failed_answers + report.errors.values().sum::<u64>(),
            server_cores: cores(0),
            oha_cores: cores(1),
        };
        // The table's row as each rate is done, to follow a long run.
        eprint!("{}", run.row());
        Ok(run)
    }

    /// Kept up with (within 5 %), without errors, and p99 under the limit.
    /// Its row of the results table.
    fn row(&self) -> String {
        format!(
            "| {} | {:.0} | {:.2} ms | {:.2} ms | {} | {:.2} | {:.2} | {} |\n",
            self.rate,
            self.achieved,
            self.p50_ms,
            self.p99_ms,
            self.errors,
            self.server_cores,
            self.oha_cores,
            if self.held() { "yes" } else { "no" }
        )
    }

    fn held(&self) -> bool {
        self.achieved >= 0.95 * f64::from(self.rate)
            && self.errors == 0
            && self.p99_ms < P99_LIMIT_MS
    }
}

fn section(runs: &[Run]) -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut text = format!(
        "## Status check under load\n\n\
         `GET /api/v1/applications/{{number}}`, the status page's lookup by application \
         number as anyone but the applicant sees it (the masked view, one SQLite query), on \
         the release server over loopback. `oha` sends a fixed rate for {SECONDS_PER_RATE} s \
         over {CONNECTIONS} kept-alive connections, with latency correction (latency counts \
         from when a request was due, so a server falling behind shows its queue). oha and \
         the server share the machine's {cores} cores, which other work shares too; their CPU \
         is their time on them over the run's, in cores. A rate is held when at least 95 % \
         of it is achieved, without errors, with p99 under {P99_LIMIT_MS} ms.\n\n\
         | requested req/s | achieved req/s | p50 | p99 | errors | server CPU | oha CPU | held |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
    );
    for run in runs {
        text += &run.row();
    }
    let highest = runs
        .iter()
        .filter(|run| run.held())
        .max_by_key(|run| run.rate);
    text += &match highest {
        Some(run) => format!(
            "\nHighest rate held with p99 under {P99_LIMIT_MS} ms: {} req/s, the server \
             spending {:.0} µs of CPU per check.",
            run.rate,
            run.server_cores / run.achieved * 1e6
        ),
        None => format!("\nNo rate was held with p99 under {P99_LIMIT_MS} ms."),
    };
    // Why it went no higher: what the first rate above took.
    let above = runs
        .iter()
        .find(|run| highest.is_none_or(|held| run.rate > held.rate));
    if let Some(run) = above {
        let used = run.server_cores + run.oha_cores;
        text += &format!(
            " At {} req/s p99 was {:.2} ms, with the server and oha using {used:.2} of the \
             {cores} cores",
            run.rate, run.p99_ms
        );
        text += if used >= 0.9 * cores as f64 {
            ": all of them, so less CPU per check or more cores would hold more."
        } else {
            "."
        };
    }
    text + "\n"
}
