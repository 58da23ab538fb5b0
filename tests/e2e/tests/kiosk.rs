//! Issue #9's kiosk in a real browser. The applicant goes the whole way to the
//! application's number typing only on the on-screen keys (digits, letters, a date), with
//! axe and the language switch on each screen, the keys going to the removable media
//! sealed under her passphrase; once the first head has confirmed, she installs the
//! certificates at home from that stick. A kiosk server's pages are a kiosk's: left in
//! the middle, it asks whether someone is still there, and unanswered it wipes
//! everything: the next person finds nothing of the previous one in the browser.

use std::time::Duration;

use base64::prelude::{Engine, BASE64_STANDARD};
use qoltanba_e2e::walk::{
    check_key_stores, decide, issued_key_stores, open_cabinet, open_the_form, send_photos,
    to_digital_id, value_of, CardFiles, Decision, KeyStores, Person, INSTALL_WAIT, PIN,
    STATUS_INSTALLED, STATUS_ISSUED,
};
use qoltanba_e2e::{
    axe, send_selfie, videos, Browser, Camera, Options, TestServer, CHALLENGE_WAIT, ORG,
    VIDEO_ORDER,
};
use thirtyfour::prelude::*;

const EMPLOYEE: Person = Person::EMPLOYEE;
const HEAD: Person = Person::HEAD;
const HEAD_PASSWORD: &str = "Qoltanba2026";
const EMPLOYEE_PASSWORD: &str = "Aigerim-2026";
const PASSPHRASE: &str = "Flesh2026kiosk";
/// The removable media: a folder of the browser's private file system stands in for it.
const STICK: &str = "KIOSK-STICK";

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

/// Taps `field`: focusing it brings up the keys.
async fn tap(browser: &Browser, field: &str) -> WebDriverResult<()> {
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
    browser
        .driver
        .query(By::Id("kiosk-keypad"))
        .first()
        .await
        .map(drop)
}

/// Types `text` on the keys shown: the digits, or the letters, switching the layout
/// (digits and Latin signs on the Latin one, Cyrillic letters on the other) and the
/// shift as a person would.
async fn type_on_keys(browser: &Browser, text: &str) -> WebDriverResult<()> {
    let Ok(shift) = browser.driver.find(By::Id("kiosk-shift")).await else {
        for key in text.chars() {
            press(browser, key).await?;
        }
        return Ok(());
    };
    let mut upper = shift.attr("aria-pressed").await?.as_deref() == Some("true");
    // The layout key names the other layout.
    let mut cyrillic = browser
        .driver
        .find(By::Id("kiosk-layout"))
        .await?
        .text()
        .await?
        == "ABC";
    for key in text.chars() {
        if key == ' ' {
            browser.click("kiosk-space").await?;
            continue;
        }
        let wants_cyrillic = !key.is_ascii();
        if key != '-' && wants_cyrillic != cyrillic {
            browser.click("kiosk-layout").await?;
            cyrillic = wants_cyrillic;
        }
        if key.is_alphabetic() && key.is_uppercase() != upper {
            browser.click("kiosk-shift").await?;
            upper = !upper;
        }
        press(browser, key).await?;
    }
    Ok(())
}

/// Taps `field` and types `text` on the on-screen keys, then «Готово».
async fn tap_in(browser: &Browser, field: &str, text: &str) -> WebDriverResult<()> {
    tap(browser, field).await?;
    type_on_keys(browser, text).await?;
    assert_eq!(
        value_of(browser, field).await?,
        text,
        "#{field} as typed on the keys"
    );
    browser.click("kiosk-done").await
}

/// A date field (`YYYY-MM-DD`) typed as dates are written here, day first, on the digits.
async fn tap_in_date(browser: &Browser, field: &str, date: &str) -> WebDriverResult<()> {
    let (year, month, day) = (&date[..4], &date[5..7], &date[8..]);
    tap(browser, field).await?;
    type_on_keys(browser, &format!("{day}{month}")).await?;
    browser
        .wait_for_text("#kiosk-date", &format!("{day}.{month}.ГГГГ"))
        .await?;
    assert_eq!(
        value_of(browser, field).await?,
        "",
        "a part of a date is none"
    );
    type_on_keys(browser, year).await?;
    browser
        .wait_for_text("#kiosk-date", &format!("{day}.{month}.{year}"))
        .await?;
    assert_eq!(value_of(browser, field).await?, date);
    browser.click("kiosk-done").await
}

/// The SMS code from the outbox typed on the keys and checked: «Пользователь
/// зарегистрирован…».
async fn code_on_the_keys(browser: &Browser, server: &TestServer) -> WebDriverResult<()> {
    tap_in(browser, "code", &server.last_code(EMPLOYEE.phone).await).await?;
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
        .await
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

/// What the stick holds: each file's name and bytes.
async fn stick(browser: &Browser) -> WebDriverResult<Vec<(String, Vec<u8>)>> {
    let script = "const done = arguments[arguments.length - 1];
        (async () => {
            const stick = await (await navigator.storage.getDirectory())
                .getDirectoryHandle(arguments[0]);
            const files = [];
            for await (const [name, handle] of stick.entries()) {
                const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
                files.push([name, btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))]);
            }
            done(files.sort());
        })();";
    let files = browser
        .driver
        .execute_async(script, vec![serde_json::json!(STICK)])
        .await?;
    let files: Vec<(String, String)> =
        serde_json::from_value(files.json().clone()).expect("names and contents");
    Ok(files
        .into_iter()
        .map(|(name, base64)| (name, BASE64_STANDARD.decode(base64).expect("base64")))
        .collect())
}

/// The stick put into another computer: these files in its browser's stand-in folder.
async fn insert_stick(browser: &Browser, files: &[(String, Vec<u8>)]) -> WebDriverResult<()> {
    let script = "const done = arguments[arguments.length - 1];
        (async () => {
            const stick = await (await navigator.storage.getDirectory())
                .getDirectoryHandle(arguments[0], { create: true });
            for (const [name, base64] of arguments[1]) {
                const file = await stick.getFileHandle(name, { create: true });
                const writable = await file.createWritable();
                await writable.write(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
                await writable.close();
            }
            done();
        })();";
    let files: Vec<(&str, String)> = files
        .iter()
        .map(|(name, bytes)| (name.as_str(), BASE64_STANDARD.encode(bytes)))
        .collect();
    browser
        .driver
        .execute_async(
            script,
            vec![serde_json::json!(STICK), serde_json::json!(files)],
        )
        .await?;
    choose_the_stick(browser).await
}

/// The folder dialog is the system's, which WebDriver cannot answer: it is answered with
/// the stick's stand-in, as choosing that folder would.
async fn choose_the_stick(browser: &Browser) -> WebDriverResult<()> {
    browser
        .driver
        .execute(
            "window.showDirectoryPicker = async () =>
                 (await navigator.storage.getDirectory())
                     .getDirectoryHandle(arguments[0], { create: true });",
            vec![serde_json::json!(STICK)],
        )
        .await
        .map(drop)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_applicant_goes_the_whole_way_on_the_on_screen_keys() -> WebDriverResult<()> {
    // A kiosk by the address's flag: the first head and the applicant at home use the
    // same server from their own computers. (The other test's server is a kiosk's.)
    let server = TestServer::with_challenge(&VIDEO_ORDER, 60).await;
    let browser = Browser::start(Camera::Video(videos().liveness_sequence)).await?;
    browser.open(&server.url("/?kiosk")).await?;
    browser.driver.query(By::Css("body.kiosk")).first().await?;
    browser.driver.query(By::Id("kiosk-help")).first().await?;
    screen_checks(&browser, "kiosk: landing").await?;

    // The mobile-citizens check, every digit on the on-screen keys.
    open_the_form(&browser, &server).await?;
    screen_checks(&browser, "kiosk: applicant").await?;
    browser.choose("Юридическое лицо").await?;
    browser.choose("Сотрудник организации").await?;
    tap(&browser, "bin").await?;
    axe::check(&browser, "kiosk: the digit keys").await;
    tap_in(&browser, "bin", ORG).await?;
    tap_in(&browser, "iin", EMPLOYEE.iin).await?;
    let mode = browser
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
    code_on_the_keys(&browser, &server).await?;
    screen_checks(&browser, "kiosk: registered").await?;

    // Digital ID: the phone and its code on the keys, the face played by the camera.
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
    browser.click("create-start").await?;
    browser.wait_for_text("h1", "Подтвердите личность").await?;
    screen_checks(&browser, "kiosk: selfie").await?;
    send_selfie(&browser).await?;
    screen_checks(&browser, "kiosk: liveness").await?;
    browser.click_when_enabled("Начать").await?;
    browser
        .wait_long_for_text_containing("#liveness-result", "Личность подтверждена", CHALLENGE_WAIT)
        .await?;
    browser.click("to-pin").await?;
    browser.wait_for_text("h1", "Задать PIN-код").await?;
    screen_checks(&browser, "kiosk: PIN").await?;
    tap_in(&browser, "pin", PIN).await?;
    tap_in(&browser, "pin-again", PIN).await?;
    browser.click_when_enabled("Задать PIN-код").await?;

    // The card's photos; what the zone does not say typed on the letter keys.
    browser.wait_for_text("h1", "Добавьте документ").await?;
    screen_checks(&browser, "kiosk: document").await?;
    send_photos(&browser, &CardFiles::new(&EMPLOYEE)).await?;
    browser
        .wait_for_text_containing("#mrz-reading", "совпадает с вашим")
        .await?;
    screen_checks(&browser, "kiosk: confirm the document").await?;
    tap(&browser, "document-surname").await?;
    axe::check(&browser, "kiosk: the letter keys").await;
    browser.click("kiosk-done").await?;
    for (field, text) in EMPLOYEE.typed_document_fields() {
        let id = format!("document-{field}");
        if field == "issued_on" {
            tap_in_date(&browser, &id, text).await?;
        } else {
            tap_in(&browser, &id, text).await?;
        }
    }
    browser.choose("Подтверждаю, что данные достоверны").await?;
    browser.click_when_enabled("Отправить").await?;
    browser.wait_for_text("h1", "Документы").await?;
    browser
        .wait_for_text_containing("#document-status", "Действителен до")
        .await?;
    screen_checks(&browser, "kiosk: documents").await?;

    // The consent with the PIN on the keys.
    browser.click("to-consent").await?;
    browser.click_when_enabled("Продолжить").await?;
    screen_checks(&browser, "kiosk: consent").await?;
    tap_in(&browser, "consent-pin", PIN).await?;
    browser.click_when_enabled("Предоставить доступ").await?;
    browser
        .wait_for_text("#identity-name", &EMPLOYEE.full_name())
        .await?;
    browser.click("to-agreement").await?;
    browser
        .wait_for_text_containing("h1", "Пользовательское соглашение")
        .await?;
    screen_checks(&browser, "kiosk: agreement").await?;
    browser.click("agreement-accept").await?;
    browser
        .wait_for_text("h1", "Подача онлайн заявки (генерация ключевой пары)")
        .await?;
    screen_checks(&browser, "kiosk: application").await?;

    // The form: the e-mail on the Latin keys; the keys only to the removable media,
    // under a passphrase typed here.
    tap_in(&browser, "form-email", EMPLOYEE.email).await?;
    browser
        .wait_for_text_containing("#form-kiosk-store", "Вставьте флешку")
        .await?;
    assert!(
        browser
            .driver
            .find(By::Id("form-keep-in-browser"))
            .await
            .is_err(),
        "a kiosk offers no place of its own for the keys"
    );
    choose_the_stick(&browser).await?;
    browser.click("form-pick-folder").await?;
    browser
        .wait_for_text_containing("#form-place", STICK)
        .await?;
    tap_in(&browser, "form-passphrase", PASSPHRASE).await?;
    tap_in(&browser, "form-passphrase-again", PASSPHRASE).await?;
    browser.click("form-submit").await?;
    browser
        .wait_long_for_text_containing("h1", "ЗАЯВКА УСПЕШНО СФОРМИРОВАНА!", INSTALL_WAIT)
        .await?;
    screen_checks(&browser, "kiosk: submitted").await?;
    let number = browser
        .driver
        .find(By::Id("application-number"))
        .await?
        .text()
        .await?;

    // On the stick: the two keys and the request's id, each sealed under the passphrase.
    let files = stick(&browser).await?;
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names.contains(&format!("{number}.request").as_str()),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("AUTH_ECDSA256_") && n.ends_with(".key")),
        "{names:?}"
    );
    for (name, bytes) in &files {
        let label = if name.ends_with(".key") {
            "ENCRYPTED PRIVATE KEY"
        } else {
            "QOLTANBA SEALED TEXT"
        };
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.starts_with(&format!("-----BEGIN {label}-----")),
            "{name} is sealed: {text}"
        );
    }
    browser.quit().await?;

    // The first head confirms from his own computer.
    let head_downloads = tempfile::tempdir().unwrap();
    let head = Browser::start_with(
        Camera::Video(videos().liveness_sequence),
        Options::downloads_into(head_downloads.path()),
    )
    .await?;
    let head_keys = issued_key_stores(&head, &server, &HEAD, HEAD_PASSWORD).await?;
    open_cabinet(&head, &server, &HEAD, &head_keys, HEAD_PASSWORD).await?;
    decide(&head, &number, Decision::Confirm).await?;
    head.quit().await?;

    // At home, by the number: the stick, its passphrase, a password for the key stores.
    let home = Browser::start(Camera::None).await?;
    home.open(&server.url(&format!("/status/{number}"))).await?;
    home.wait_for_text("#status-current", STATUS_ISSUED).await?;
    insert_stick(&home, &files).await?;
    home.click("install-pick-folder").await?;
    home.wait_for_text_containing("#install-place", STICK)
        .await?;
    home.type_into("install-passphrase", PASSPHRASE).await?;
    home.type_into("install-password", EMPLOYEE_PASSWORD)
        .await?;
    home.type_into("install-password-again", EMPLOYEE_PASSWORD)
        .await?;
    home.click_when_enabled("Загрузить сертификаты").await?;
    home.wait_long_for_text_containing("#install-done", "Сертификаты установлены", INSTALL_WAIT)
        .await?;
    home.wait_for_text("#status-current", STATUS_INSTALLED)
        .await?;
    let dir = tempfile::tempdir().unwrap();
    let stores: Vec<_> = stick(&home)
        .await?
        .into_iter()
        .filter(|(name, _)| name.ends_with(".p12"))
        .map(|(name, bytes)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    check_key_stores(
        &server,
        &KeyStores::from_files(&stores),
        EMPLOYEE_PASSWORD,
        &EMPLOYEE,
    )
    .await;
    home.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn left_in_the_middle_a_kiosk_asks_then_wipes_everything() -> WebDriverResult<()> {
    /// Short enough for a test, long enough that the test's own taps keep it awake.
    const IDLE_SECONDS: u32 = 8;
    const COUNTDOWN_SECONDS: u32 = 4;
    let server = TestServer::start_configured(|config| {
        config.kiosk = true;
        config.kiosk_idle_seconds = IDLE_SECONDS;
        config.kiosk_countdown_seconds = COUNTDOWN_SECONDS;
    })
    .await;
    let browser = Browser::start(Camera::Video(videos().face_center)).await?;
    open_the_form(&browser, &server).await?;
    browser.choose("Юридическое лицо").await?;
    browser.choose("Сотрудник организации").await?;
    tap_in(&browser, "bin", ORG).await?;
    tap_in(&browser, "iin", EMPLOYEE.iin).await?;
    browser.button("Отправить запрос").await?.click().await?;
    browser
        .wait_for_text_containing("#code-sent-to", EMPLOYEE.masked_phone)
        .await?;
    code_on_the_keys(&browser, &server).await?;

    // Left alone, the kiosk asks; «Продолжить» keeps everything.
    let idle_wait = Duration::from_secs(u64::from(IDLE_SECONDS) + 10);
    browser
        .driver
        .query(By::Id("kiosk-idle"))
        .wait(idle_wait, Duration::from_millis(200))
        .first()
        .await?;
    axe::check(&browser, "kiosk: still there?").await;
    language_switch_works(&browser).await?;
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

    // Into Digital ID, the phone typed; then nobody.
    to_digital_id(&browser).await?;
    tap_in(&browser, "phone", "87017654321").await?;
    browser
        .driver
        .query(By::Id("kiosk-countdown"))
        .wait(idle_wait, Duration::from_millis(200))
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
    for trace in [EMPLOYEE.iin, ORG, EMPLOYEE.phone, "87017654321"] {
        assert!(!text.contains(trace), "{trace} is left in {after}");
    }
    assert_eq!(after["databases"], serde_json::json!([]), "{after}");
    assert_eq!(after["caches"], serde_json::json!([]), "{after}");
    browser.quit().await
}
