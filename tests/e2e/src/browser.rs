//! Headless Chromium under Debian's chromedriver, one pair per test.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
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

pub struct Browser {
    pub driver: WebDriver,
    chromedriver: Child,
}

impl Browser {
    /// Starts chromedriver on a free port and a Chromium session in Russian (the
    /// guide's language, which the app picks from the browser's preferences).
    pub async fn start(camera: Camera) -> WebDriverResult<Self> {
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
        caps.add_experimental_option(
            "prefs",
            serde_json::json!({ "intl.accept_languages": "ru-RU,ru" }),
        )?;
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
        })
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
        self.driver
            .query(By::Id(id))
            .wait(WAIT, Duration::from_millis(100))
            .and_displayed()
            .first()
            .await?
            .click()
            .await
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
