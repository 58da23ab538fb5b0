//! Issue #9's kiosk in a real browser: a kiosk server's pages switch to kiosk mode, the
//! applicant goes through the mobile-citizens check and into Digital ID typing only on
//! the on-screen keys, the language switch works on each screen, the idle question can
//! be answered, and left unanswered it wipes everything: the next person finds nothing
//! of the previous one in the browser's storage.

use std::time::Duration;

use qoltanba_e2e::walk::{open_the_form, to_digital_id, Person, PIN};
use qoltanba_e2e::{axe, seed_employee, videos, Browser, Camera, Start, TestServer, ORG};
use thirtyfour::prelude::*;

const EMPLOYEE: Person = Person::EMPLOYEE;
/// Short enough for a test, long enough that the test's own taps keep it awake.
const IDLE_SECONDS: u32 = 8;
const COUNTDOWN_SECONDS: u32 = 4;

/// Presses the on-screen key labelled `key`.
async fn press(browser: &Browser, key: char) -> WebDriverResult<()> {
    browser
        .driver
        .query(By::XPath(format!(
            "//div[@id='kiosk-keypad']//button[normalize-space(.)='{key}']"
        )))
        .first()
        .await?
        .click()
        .await
}

async fn value_of(browser: &Browser, field: &str) -> WebDriverResult<String> {
    Ok(browser
        .driver
        .find(By::Id(field))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default())
}

/// Where the browser refused or left fullscreen (a new page load, a tap on a list's
/// option), the kiosk covers the page with a prompt: tapping it goes back.
async fn back_to_fullscreen(browser: &Browser) -> WebDriverResult<()> {
    if let Ok(prompt) = browser.driver.find(By::Id("kiosk-fullscreen")).await {
        // Gone already (stale) when fullscreen came back by itself: nothing to tap.
        if prompt.is_displayed().await.unwrap_or(false) {
            let _ = prompt.click().await;
        }
    }
    browser
        .driver
        .query(By::Id("kiosk-fullscreen"))
        .wait(Duration::from_secs(5), Duration::from_millis(100))
        .not_exists()
        .await
        .map(drop)
}

/// Taps `field` (focusing it brings up the keys) and types `text` on the on-screen keys.
async fn tap_in(browser: &Browser, field: &str, text: &str) -> WebDriverResult<()> {
    // The prompt may cover the page a moment after a tap (the browser answers the
    // fullscreen request asynchronously): then the tap goes to it first.
    let mut attempt = 1;
    loop {
        back_to_fullscreen(browser).await?;
        match browser.click(field).await {
            Err(e) if attempt < 3 && e.to_string().contains("click intercepted") => attempt += 1,
            other => break other?,
        }
    }
    for key in text.chars() {
        press(browser, key).await?;
    }
    assert_eq!(
        value_of(browser, field).await?,
        text,
        "#{field} as typed on the keys"
    );
    browser.click("kiosk-done").await
}

/// Each kiosk screen: axe finds nothing serious, and the language switch works.
async fn screen_checks(browser: &Browser, screen: &str) -> WebDriverResult<()> {
    axe::check(browser, screen).await;
    language_switch_works(browser).await?;
    back_to_fullscreen(browser).await
}

/// The page's heading changes with the language and comes back.
async fn language_switch_works(browser: &Browser) -> WebDriverResult<()> {
    let heading = browser.driver.find(By::Css("h1")).await?.text().await?;
    let select = |value: &'static str| async move {
        browser
            .driver
            .find(By::Css(format!("#language option[value='{value}']")))
            .await?
            .click()
            .await
    };
    select("kk").await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while browser.driver.find(By::Css("h1")).await?.text().await? == heading {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{heading}: not translated"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    select("ru").await?;
    browser.wait_for_text("h1", &heading).await
}

/// What the browser's storage holds, as the page can see it.
async fn stored(browser: &Browser) -> WebDriverResult<serde_json::Value> {
    let script = "const done = arguments[arguments.length - 1];
        (async () => {
            const all = (s) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)]));
            const databases = indexedDB.databases ? await indexedDB.databases() : [];
            done({
                session: all(sessionStorage),
                local: all(localStorage),
                databases: databases.map((d) => d.name),
                caches: await caches.keys(),
            });
        })();";
    Ok(browser
        .driver
        .execute_async(script, vec![])
        .await?
        .json()
        .clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_runs_on_the_on_screen_keys_and_wipes_itself_when_left() -> WebDriverResult<()> {
    let server = TestServer::start_configured(|config| {
        config.kiosk = true;
        config.kiosk_idle_seconds = IDLE_SECONDS;
        config.kiosk_countdown_seconds = COUNTDOWN_SECONDS;
    })
    .await;
    let browser = Browser::start(Camera::Video(videos().face_center)).await?;
    browser.open(&server.url("/")).await?;
    browser.driver.query(By::Css("body.kiosk")).first().await?;
    browser.driver.query(By::Id("kiosk-help")).first().await?;
    screen_checks(&browser, "kiosk: landing").await?;

    // The mobile-citizens check, every digit on the on-screen keys.
    open_the_form(&browser, &server).await?;
    screen_checks(&browser, "kiosk: applicant").await?;
    browser.choose("Юридическое лицо").await?;
    browser.choose("Сотрудник организации").await?;
    browser.click("bin").await?;
    axe::check(&browser, "kiosk: the digit keys").await;
    tap_in(&browser, "bin", ORG).await?;
    tap_in(&browser, "iin", EMPLOYEE.iin).await?;
    let mode: Option<String> = browser
        .driver
        .find(By::Id("iin"))
        .await?
        .attr("inputmode")
        .await?;
    assert_eq!(
        mode.as_deref(),
        Some("none"),
        "the system keyboard stays away"
    );
    browser.button("Отправить запрос").await?.click().await?;
    browser
        .wait_for_text_containing("#code-sent-to", EMPLOYEE.masked_phone)
        .await?;
    screen_checks(&browser, "kiosk: code").await?;
    tap_in(&browser, "code", &server.last_code(EMPLOYEE.phone).await).await?;
    browser
        .button("Проверить одноразовый пароль")
        .await?
        .click()
        .await?;
    browser
        .wait_for_text(
            "h1",
            "Пользователь зарегистрирован в базе мобильных граждан",
        )
        .await?;
    screen_checks(&browser, "kiosk: registered").await?;

    // Left alone, the kiosk asks; «Продолжить» keeps everything.
    browser
        .driver
        .query(By::Id("kiosk-idle"))
        .wait(
            Duration::from_secs(u64::from(IDLE_SECONDS) + 10),
            Duration::from_millis(200),
        )
        .first()
        .await?;
    axe::check(&browser, "kiosk: still there?").await;
    browser.click("kiosk-continue").await?;
    browser
        .driver
        .query(By::Id("kiosk-idle"))
        .wait(Duration::from_secs(5), Duration::from_millis(200))
        .not_exists()
        .await?;
    let before = stored(&browser).await?;
    assert!(
        before.to_string().contains(EMPLOYEE.iin),
        "the flow keeps its state while someone is there: {before}"
    );

    // Digital ID: the phone and its code on the keys.
    to_digital_id(&browser).await?;
    screen_checks(&browser, "kiosk: Digital ID sign-in").await?;
    tap_in(&browser, "phone", "87017654321").await?;
    browser.click_when_enabled("Получить код").await?;
    browser
        .wait_for_text_containing("#resend-countdown", "Повторная отправка через 01:")
        .await?;
    let code = server.last_code(EMPLOYEE.phone).await;
    tap_in(&browser, "sign-in-code", &code).await?;
    browser.click_when_enabled("Войти").await?;
    browser.wait_for_text("h1", "Создать Digital ID").await?;
    screen_checks(&browser, "kiosk: create Digital ID").await?;
    // The face check needs no typing (the liveness tests play it); from the PIN on,
    // the keys again.
    server.allow_resend(EMPLOYEE.iin).await;
    seed_employee(&browser, &server, Start::FaceChecked, "/digital-id/pin").await?;
    browser.wait_for_text("h1", "Задать PIN-код").await?;
    screen_checks(&browser, "kiosk: PIN").await?;
    tap_in(&browser, "pin", PIN).await?;
    tap_in(&browser, "pin-again", PIN).await?;
    browser.click_when_enabled("Задать PIN-код").await?;
    browser.wait_for_text("h1", "Добавьте документ").await?;
    screen_checks(&browser, "kiosk: document").await?;

    // The letter keys, on the cabinet's password field: shift, Latin, Kazakh.
    browser.open(&server.url("/cabinet")).await?;
    browser.click("cabinet-password").await?;
    browser.click("kiosk-shift").await?;
    press(&browser, 'Q').await?;
    browser.click("kiosk-shift").await?;
    browser.click("kiosk-layout").await?;
    axe::check(&browser, "kiosk: the letter keys").await;
    press(&browser, 'ә').await?;
    press(&browser, 'ж').await?;
    assert_eq!(value_of(&browser, "cabinet-password").await?, "Qәж");
    browser.click("kiosk-done").await?;

    // Unanswered, it wipes: back at the landing page with nothing of this person left.
    browser
        .driver
        .query(By::Id("kiosk-countdown"))
        .wait(
            Duration::from_secs(u64::from(IDLE_SECONDS) + 10),
            Duration::from_millis(200),
        )
        .first()
        .await?;
    browser
        .wait_long_for_text_containing(
            "h1",
            "Получение электронной цифровой подписи удаленно",
            Duration::from_secs(u64::from(COUNTDOWN_SECONDS) + 15),
        )
        .await?;
    assert_eq!(browser.path().await?, "/");
    let after = stored(&browser).await?;
    let text = after.to_string();
    for trace in [EMPLOYEE.iin, ORG, EMPLOYEE.phone, "Qәж"] {
        assert!(!text.contains(trace), "{trace} is left in {after}");
    }
    assert_eq!(after["databases"], serde_json::json!([]), "{after}");
    assert_eq!(after["caches"], serde_json::json!([]), "{after}");
    browser.quit().await
}
