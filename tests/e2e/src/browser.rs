//! Headless Chromium under Debian's chromedriver, one pair per test.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use thirtyfour::prelude::*;
use thirtyfour::LoggingPrefsLogLevel;
use tokio::process::{Child, Command};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Long enough for a cold wasm start on a loaded 2-core machine, short enough to fail fast.
pub const WAIT: Duration = Duration::from_secs(20);

/// What the browser's camera is.
pub enum Camera {
    /// No camera at all: getUserMedia rejects with NotFoundError.
    None,
    /// Chromium's fake camera playing a Y4M file in a loop, permission granted.
    Video(PathBuf),
}

/// What a test needs from the browser besides its camera.
#[derive(Default)]
pub struct Options {
    /// Downloads are saved into this folder without asking.
    pub downloads: Option<PathBuf>,
    /// Chromium records the requests it sends (its performance log): see `sent_requests`.
    pub record_requests: bool,
}

impl Options {
    /// Only downloads, saved into `folder`.
    pub fn downloads_into(folder: &std::path::Path) -> Self {
        Self {
            downloads: Some(folder.to_owned()),
            ..Self::default()
        }
    }
}

/// A request as Chromium's network layer saw it leave.
#[derive(Debug, Clone)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    /// The headers as JSON text.
    pub headers: String,
    /// The body as text (`postData`), empty when there is none.
    pub body: String,
    /// The body's bytes (`postDataEntries`), for bodies that are not text.
    pub body_bytes: Vec<u8>,
    /// False when Chromium had a body it could not show: a file being uploaded.
    pub body_seen: bool,
}

impl SentRequest {
    /// Everything the request carries, as text.
    pub fn text(&self) -> String {
        format!(
            "{} {}\n{}\n{}\n{}",
            self.method,
            self.url,
            self.headers,
            self.body,
            String::from_utf8_lossy(&self.body_bytes)
        )
    }
}

pub struct Browser {
    pub driver: WebDriver,
    chromedriver: Child,
    downloads: Option<PathBuf>,
}

impl Browser {
    /// Starts chromedriver on a free port and a Chromium session in Russian (the
    /// guide's language, which the app picks from the browser's preferences).
    pub async fn start(camera: Camera) -> WebDriverResult<Self> {
        Self::start_with(camera, Options::default()).await
    }

    /// As `start`, with downloads or the record of requests.
    pub async fn start_with(camera: Camera, options: Options) -> WebDriverResult<Self> {
        let port = free_port();
        let chromedriver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts (make test installs chromium-driver)");
        wait_for_port(port).await;

        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(CHROMIUM)?;
        for arg in [
            "--headless=new",
            // Root on these machines: Chromium's sandbox refuses to start as root.
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            // Without these Chromium tries to reach Google's hosts at every start.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,900",
            "--lang=ru-RU",
            "--accept-lang=ru-RU,ru",
        ] {
            caps.add_arg(arg)?;
        }
        let mut prefs = serde_json::json!({ "intl.accept_languages": "ru-RU,ru" });
        if let Some(folder) = &options.downloads {
            // chromedriver passes these to headless Chromium as its download behaviour.
            prefs["download.default_directory"] = folder.display().to_string().into();
            prefs["download.prompt_for_download"] = false.into();
            prefs["profile.default_content_setting_values.automatic_downloads"] = 1.into();
        }
        caps.add_experimental_option("prefs", prefs)?;
        if options.record_requests {
            caps.set_logging_prefs("performance", LoggingPrefsLogLevel::All)?;
            caps.add_experimental_option(
                "perfLoggingPrefs",
                serde_json::json!({ "enableNetwork": true, "enablePage": false }),
            )?;
        }
        if let Camera::Video(path) = &camera {
            caps.add_arg("--use-fake-ui-for-media-stream")?;
            caps.add_arg("--use-fake-device-for-media-stream")?;
            caps.add_arg(&format!(
                "--use-file-for-fake-video-capture={}",
                path.display()
            ))?;
        }
        let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), caps).await?;
        Ok(Self {
            driver,
            chromedriver,
            downloads: options.downloads,
        })
    }

    /// The requests Chromium sent since the last call (the performance log is drained
    /// as it is read): URL, headers and body, as its network layer had them.
    pub async fn sent_requests(&self) -> WebDriverResult<Vec<SentRequest>> {
        let mut sent = Vec::new();
        loop {
            // chromedriver hands the log out in batches.
            let entries = self.driver.get_log("performance").await?;
            if entries.is_empty() {
                return Ok(sent);
            }
            for entry in entries {
                let message: serde_json::Value = serde_json::from_str(&entry.message)?;
                let event = &message["message"];
                if event["method"] != "Network.requestWillBeSent" {
                    continue;
                }
                let request = &event["params"]["request"];
                let body_bytes: Vec<u8> = request["postDataEntries"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|part| part["bytes"].as_str())
                    .flat_map(|part| BASE64.decode(part).expect("CDP sends base64"))
                    .collect();
                let mut body = request["postData"].as_str().unwrap_or_default().to_owned();
                let mut body_seen = true;
                if body.is_empty() && body_bytes.is_empty() && request["hasPostData"] == true {
                    // Left out of the event: asked for while Chromium keeps it. A file's
                    // bytes are not kept ("No post data available").
                    let asked = self
                        .driver
                        .cdp()
                        .send_raw(
                            "Network.getRequestPostData",
                            serde_json::json!({ "requestId": event["params"]["requestId"] }),
                        )
                        .await;
                    match asked {
                        Ok(asked) => {
                            body = asked["postData"].as_str().unwrap_or_default().to_owned()
                        }
                        Err(_) => body_seen = false,
                    }
                }
                sent.push(SentRequest {
                    method: request["method"].as_str().unwrap_or_default().to_owned(),
                    url: request["url"].as_str().unwrap_or_default().to_owned(),
                    headers: request["headers"].to_string(),
                    body,
                    body_bytes,
                    body_seen,
                });
            }
        }
    }

    /// Waits until the download folder holds `count` finished files (none still being
    /// written), and returns them sorted by name.
    pub async fn downloaded(&self, count: usize, within: Duration) -> Vec<PathBuf> {
        let folder = self
            .downloads
            .as_ref()
            .expect("the browser was started with a download folder");
        let deadline = Instant::now() + within;
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
                .expect("the download folder is readable")
                .map(|entry| entry.expect("a folder entry").path())
                .collect();
            files.sort();
            // Chromium writes into `<name>.crdownload` or a hidden file first
            // (`.com.google.Chrome.*`, `.org.chromium.Chromium.*`).
            let writing = files.iter().any(|f| {
                f.extension().is_some_and(|e| e == "crdownload")
                    || f.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            });
            if !writing && files.len() == count {
                return files;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {count} downloads, the folder has {files:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn open(&self, url: &str) -> WebDriverResult<()> {
        self.driver.goto(url).await
    }

    /// Waits until a button with exactly this text is shown, and returns it.
    pub async fn button(&self, text: &str) -> WebDriverResult<WebElement> {
        self.driver
            .query(By::XPath(format!(
                "//button[normalize-space(.)={}]",
                xpath_literal(text)
            )))
            .wait(WAIT, Duration::from_millis(100))
            .and_displayed()
            .first()
            .await
    }

    /// Waits until the element matched by `css` has this text (trimmed), and fails
    /// with what it had instead.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> WebDriverResult<()> {
        self.wait_for(css, |seen| seen.trim() == expected, expected, WAIT)
            .await
            .map(drop)
    }

    /// Waits until the element matched by `css` contains `part` in its text, and returns it.
    pub async fn wait_for_text_containing(&self, css: &str, part: &str) -> WebDriverResult<String> {
        self.wait_for(css, |seen| seen.contains(part), part, WAIT)
            .await
    }

    /// Waits until the text of the element matched by `css` passes `accept`, and
    /// returns it; fails with `wanted` and what it had instead.
    pub async fn wait_for_text_matching(
        &self,
        css: &str,
        accept: impl Fn(&str) -> bool,
        wanted: &str,
    ) -> WebDriverResult<String> {
        self.wait_for(css, accept, wanted, WAIT).await
    }

    /// As `wait_for_text_containing`, for what takes longer than a page: a whole
    /// liveness challenge played by the fake camera.
    pub async fn wait_long_for_text_containing(
        &self,
        css: &str,
        part: &str,
        within: Duration,
    ) -> WebDriverResult<String> {
        self.wait_for(css, |seen| seen.contains(part), part, within)
            .await
    }

    /// Waits until a button with exactly this text can be clicked, and clicks it.
    pub async fn click_when_enabled(&self, text: &str) -> WebDriverResult<()> {
        self.driver
            .query(By::XPath(format!(
                "//button[normalize-space(.)={}]",
                xpath_literal(text)
            )))
            .wait(WAIT, Duration::from_millis(100))
            .and_displayed()
            .and_enabled()
            .first()
            .await?
            .click()
            .await
    }

    async fn wait_for(
        &self,
        css: &str,
        accept: impl Fn(&str) -> bool,
        wanted: &str,
        within: Duration,
    ) -> WebDriverResult<String> {
        let deadline = Instant::now() + within;
        let mut seen = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.driver.find(By::Css(css)).await {
                seen = element.text().await.unwrap_or_default();
                if accept(&seen) {
                    return Ok(seen);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css}: waited for {wanted:?}, saw {seen:?}");
    }

    /// Waits for the element with this id to be shown, and clicks it.
    pub async fn click(&self, id: &str) -> WebDriverResult<()> {
        let element = self
            .driver
            .query(By::Id(id))
            .wait(WAIT, Duration::from_millis(100))
            .and_displayed()
            .first()
            .await?;
        // As a person scrolls what he taps to where he sees it: at the viewport's edge
        // a small window's corner buttons (the assistant's, a kiosk's help) may cover it.
        self.driver
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
                vec![element.to_json()?],
            )
            .await?;
        element.click().await
    }

    /// Clicks the label (radio button or checkbox) with exactly this text.
    pub async fn choose(&self, text: &str) -> WebDriverResult<()> {
        self.driver
            .query(By::XPath(format!(
                "//label[normalize-space(.)={}]",
                xpath_literal(text)
            )))
            .wait(WAIT, Duration::from_millis(100))
            .first()
            .await?
            .click()
            .await
    }

    /// Types into the input with this id, replacing what was there.
    pub async fn type_into(&self, id: &str, text: &str) -> WebDriverResult<()> {
        let input = self
            .driver
            .query(By::Id(id))
            .wait(WAIT, Duration::from_millis(100))
            .first()
            .await?;
        input.clear().await?;
        input.send_keys(text).await
    }

    /// Presses Tab until the focused element's accessible text (its own text, or its
    /// label's) is `text`, as a keyboard user would; fails after 30 presses.
    pub async fn tab_to(&self, text: &str) -> WebDriverResult<()> {
        for _ in 0..30 {
            self.driver
                .action_chain()
                .send_keys(Key::Tab)
                .perform()
                .await?;
            let focused = self
                .driver
                .execute(
                    "const e = document.activeElement;
                     const label = e.closest('label') || (e.id && document.querySelector(`label[for='${e.id}']`));
                     return ((label || e).textContent || '').trim();",
                    vec![],
                )
                .await?;
            if focused.json().as_str() == Some(text) {
                return Ok(());
            }
        }
        panic!("Tab never reached {text:?}");
    }

    /// Presses keys on whatever has the focus.
    pub async fn press(&self, keys: impl Into<TypingData>) -> WebDriverResult<()> {
        self.driver.action_chain().send_keys(keys).perform().await
    }

    pub async fn path(&self) -> WebDriverResult<String> {
        Ok(self.driver.current_url().await?.path().to_owned())
    }

    pub async fn quit(mut self) -> WebDriverResult<()> {
        self.driver.clone().quit().await?;
        let _ = self.chromedriver.kill().await;
        Ok(())
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

async fn wait_for_port(port: u16) {
    let deadline = Instant::now() + WAIT;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Quotes text for XPath, which has no escape character.
fn xpath_literal(text: &str) -> String {
    if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('"').map(|part| format!("\"{part}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}
