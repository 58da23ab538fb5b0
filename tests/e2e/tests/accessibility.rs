//! Issue #9's accessibility in a real browser: axe-core (WCAG 2.0–2.2 A and AA rules)
//! on every screen of the flow, with no serious or critical violation; and the keyboard
//! basics — Tab reaches the primary button, and after moving to a new step the focus is
//! on that step's heading.
//!
//! Two browsers walk side by side to keep the test short: the first head from the landing
//! page through the face check (his own, played by the camera, with the instructions
//! spoken); and the demo employee from the PIN (her face check recorded on the server)
//! to her application's status page, then the pages outside the wizard (the services,
//! the video call, the operator's pages, the accessibility statement).

use std::time::{Duration, Instant};

use qoltanba_e2e::walk::{
    fill_the_form, fill_the_rest_and_send, grant_access, operator_signs_in, registered,
    request_code, send_photos, set_pin, sign_in, submit_application, to_digital_id, CardFiles,
    Person,
};
use qoltanba_e2e::{
    axe, employee_at, send_selfie, videos, Browser, Camera, Start, TestServer, CHALLENGE_WAIT,
    HEAD_PHONE, ORG, VIDEO_ORDER,
};
use thirtyfour::prelude::*;

/// The id of the focused element.
async fn focused(browser: &Browser) -> WebDriverResult<String> {
    let id = browser
        .driver
        .execute("return document.activeElement.id;", vec![])
        .await?;
    Ok(id.json().as_str().unwrap_or_default().to_owned())
}

/// Waits (briefly) until the focus is on the step's heading, `h1#step-title`.
async fn focus_on_heading(browser: &Browser, screen: &str) -> WebDriverResult<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let id = focused(browser).await?;
        let tag = browser
            .driver
            .execute("return document.activeElement.tagName;", vec![])
            .await?;
        let tag = tag.json().as_str().unwrap_or_default().to_owned();
        if id == "step-title" && tag == "H1" {
            return Ok(());
        }
        assert!(
            Instant::now() < deadline,
            "{screen}: the focus is on {tag}#{id}, not on the step's h1"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The first head from the landing page to his verified face.
async fn applicant_to_face_check(server: &TestServer) -> WebDriverResult<()> {
    let head = Person::HEAD;
    let browser = Browser::start(Camera::Video(videos().liveness_sequence)).await?;
    browser.open(&server.url("/")).await?;
    browser.button("Получить ЭЦП удаленно").await?;
    axe::check(&browser, "landing").await;

    // The keyboard alone: Tab reaches the way in, Enter takes it, and the focus is on
    // the new step's heading.
    browser.tab_to("Получить ЭЦП удаленно").await?;
    browser.press(Key::Enter).await?;
    browser
        .wait_for_text("#webcam-result", "Веб-камера имеется")
        .await?;
    focus_on_heading(&browser, "webcam check").await?;
    axe::check(&browser, "webcam check").await;

    browser.tab_to("Далее").await?;
    browser.press(Key::Enter).await?;
    browser
        .wait_for_text("h1", "Выберите на кого получить услугу")
        .await?;
    focus_on_heading(&browser, "applicant form").await?;
    axe::check(&browser, "applicant form").await;
    // The error state: a BIN whose check digit is wrong, said at the field.
    browser.choose("Юридическое лицо").await?;
    browser.choose("Первый руководитель").await?;
    browser.type_into("bin", "150340001237").await?;
    let error = browser
        .wait_for_text_matching("#bin-error", |seen| !seen.is_empty(), "an error")
        .await?;
    let bin = browser.driver.find(By::Id("bin")).await?;
    assert_eq!(bin.attr("aria-invalid").await?.as_deref(), Some("true"));
    let described = bin.attr("aria-describedby").await?.unwrap_or_default();
    assert!(
        described.split_whitespace().any(|id| id == "bin-error"),
        "the BIN's error ({error}) is not tied to it: {described:?}"
    );
    axe::check(&browser, "applicant form with an error").await;

    request_code(&browser, "Первый руководитель", ORG, head.iin).await?;
    browser
        .wait_for_text_containing("#countdown", "Оставшееся время")
        .await?;
    focus_on_heading(&browser, "code page").await?;
    axe::check(&browser, "code page").await;
    // The countdown is seen every second, and heard at its start.
    browser
        .wait_for_text_matching(
            "#countdown-announced",
            |seen| seen.starts_with("Оставшееся время: "),
            "the countdown's start",
        )
        .await?;
    registered(&browser, server, &head).await?;
    axe::check(&browser, "registered").await;

    to_digital_id(&browser).await?;
    axe::check(&browser, "Digital ID sign-in").await;
    sign_in(&browser, server, HEAD_PHONE).await?;
    axe::check(&browser, "create Digital ID").await;

    browser.click("create-start").await?;
    browser.wait_for_text("h1", "Подтвердите личность").await?;
    browser
        .driver
        .query(By::Css("#face-guidance[data-guidance]"))
        .wait(CHALLENGE_WAIT, Duration::from_millis(100))
        .first()
        .await?;
    axe::check(&browser, "selfie").await;
    send_selfie(&browser).await?;
    focus_on_heading(&browser, "liveness").await?;

    // «Озвучивать подсказки»: a voice is there (a stand-in that writes down what it is
    // asked to say, in which language).
    browser
        .driver
        .execute(
            "window.spoken = [];
             speechSynthesis.getVoices = () => [{ lang: 'ru-RU', name: 'test' }];
             speechSynthesis.cancel = () => {};
             speechSynthesis.speak = u => window.spoken.push([u.text, u.lang]);",
            vec![],
        )
        .await?;
    browser.choose("Озвучивать подсказки").await?;
    axe::check(&browser, "liveness, before the start").await;
    browser.click_when_enabled("Начать").await?;
    browser
        .wait_long_for_text_containing("#liveness-countdown", "Осталось", CHALLENGE_WAIT)
        .await?;
    axe::check(&browser, "liveness").await;
    // The countdown is heard when it starts, not every second.
    let announced = browser
        .wait_for_text_matching(
            "#liveness-countdown-announced",
            |seen| seen.starts_with("Оставшееся время: "),
            "the countdown's start",
        )
        .await?;
    let shown = browser
        .driver
        .find(By::Id("liveness-countdown"))
        .await?
        .text()
        .await?;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let shown_later = browser
        .driver
        .find(By::Id("liveness-countdown"))
        .await?
        .text()
        .await?;
    let announced_later = browser
        .driver
        .find(By::Id("liveness-countdown-announced"))
        .await?
        .text()
        .await?;
    if shown != shown_later && !shown_later.is_empty() {
        assert_eq!(announced, announced_later, "the countdown was read again");
    }
    browser
        .wait_long_for_text_containing("#liveness-result", "Личность подтверждена", CHALLENGE_WAIT)
        .await?;
    let spoken: Vec<(String, String)> = browser
        .driver
        .execute("return window.spoken;", vec![])
        .await?
        .convert()?;
    let texts: Vec<&str> = spoken.iter().map(|(text, _)| text.as_str()).collect();
    assert!(
        spoken.iter().all(|(_, lang)| lang == "ru-RU"),
        "spoken in another language: {spoken:?}"
    );
    assert!(
        texts.windows(2).all(|pair| pair[0] != pair[1]),
        "an instruction was spoken twice in a row: {texts:?}"
    );
    for instruction in [
        "Медленно поверните голову влево",
        "Медленно поверните голову вправо",
        "Приблизьте лицо к камере",
        "Личность подтверждена.",
    ] {
        assert!(
            texts.contains(&instruction),
            "{instruction:?} not spoken: {texts:?}"
        );
    }
    assert!(texts.len() <= 15, "spoken too often: {texts:?}");
    axe::check(&browser, "liveness passed").await;
    browser.quit().await
}

/// The demo employee from the PIN to her application's status page.
async fn employee_to_status(server: &TestServer) -> WebDriverResult<()> {
    let employee = Person::EMPLOYEE;
    let (browser, _) = employee_at(
        server,
        Start::FaceChecked,
        videos().face_center,
        "/digital-id/pin",
    )
    .await?;
    browser.wait_for_text("h1", "Задать PIN-код").await?;
    axe::check(&browser, "PIN").await;
    set_pin(&browser).await?;
    focus_on_heading(&browser, "document").await?;
    axe::check(&browser, "document").await;
    send_photos(&browser, &CardFiles::new(&employee)).await?;
    browser
        .wait_for_text_containing("#mrz-reading", "совпадает с вашим")
        .await?;
    axe::check(&browser, "confirm document").await;
    fill_the_rest_and_send(&browser, &employee).await?;
    browser.wait_for_text("h1", "Документы").await?;
    browser
        .wait_for_text_containing("#document-status", "Действителен до")
        .await?;
    axe::check(&browser, "account").await;
    browser.click("to-consent").await?;
    browser.button("Продолжить").await?;
    axe::check(&browser, "consent").await;
    consent_from_request(&browser, &employee).await?;
    accept_agreement_checked(&browser).await?;
    fill_the_form(&browser, &employee).await?;
    axe::check(&browser, "application form").await;
    let number = submit_application(&browser).await?;
    axe::check(&browser, "submitted").await;
    browser.click("submitted-status").await?;
    browser
        .wait_for_text_containing("#status-current", "Ожидание подтверждения")
        .await?;
    assert_eq!(browser.path().await?, format!("/status/{number}"));
    axe::check(&browser, "status page").await;
    browser.quit().await
}

/// At «Запрос доступа» (already open): continues and grants access.
async fn consent_from_request(browser: &Browser, person: &Person) -> WebDriverResult<()> {
    browser.click_when_enabled("Продолжить").await?;
    grant_access(browser, person).await?;
    axe::check(browser, "consent granted").await;
    Ok(())
}

/// From «Доступ предоставлен» through the agreement, checked on the way.
async fn accept_agreement_checked(browser: &Browser) -> WebDriverResult<()> {
    browser.click("to-agreement").await?;
    browser
        .wait_for_text_containing("h1", "Пользовательское соглашение")
        .await?;
    focus_on_heading(browser, "agreement").await?;
    axe::check(browser, "agreement").await;
    browser.click("agreement-accept").await?;
    browser
        .wait_for_text("h1", "Подача онлайн заявки (генерация ключевой пары)")
        .await
}

/// The pages outside the wizard.
async fn other_pages(server: &TestServer) -> WebDriverResult<()> {
    let browser = Browser::start(Camera::Video(videos().face_center)).await?;
    for (path, ready, screen) in [
        ("/cabinet", "#cabinet-open", "cabinet (signed out)"),
        ("/key-check", "#check-submit", "key check"),
        ("/revoke", "#revoke-open", "revocation"),
        ("/assistant/video-call", "#call-start", "video call page"),
        (
            "/accessibility",
            "#statement-report",
            "accessibility statement",
        ),
        ("/operator", "#operator-sign-in", "operator sign-in"),
    ] {
        browser.open(&server.url(path)).await?;
        browser
            .driver
            .query(By::Css(ready))
            .wait(qoltanba_e2e::browser::WAIT, Duration::from_millis(100))
            .first()
            .await?;
        axe::check(&browser, screen).await;
    }
    operator_signs_in(&browser, server).await?;
    browser
        .driver
        .query(By::Css("#operator-name:not(:empty)"))
        .wait(qoltanba_e2e::browser::WAIT, Duration::from_millis(100))
        .first()
        .await?;
    focus_on_heading(&browser, "operator cases queue").await?;
    axe::check(&browser, "operator cases queue").await;
    browser.click("nav-calls").await?;
    browser.wait_for_text("h1", "Входящие звонки").await?;
    axe::check(&browser, "operator calls queue").await;

    // The assistant's panel, open over the landing page; the statement is in the footer.
    browser.open(&server.url("/")).await?;
    browser
        .button("Виртуальный ассистент")
        .await?
        .click()
        .await?;
    browser.button("Видеозвонок").await?;
    axe::check(&browser, "assistant panel open").await;
    browser
        .driver
        .find(By::Id("footer-accessibility"))
        .await?
        .click()
        .await?;
    browser
        .wait_for_text("h1", "Заявление о доступности")
        .await?;
    assert_eq!(browser.path().await?, "/accessibility");
    focus_on_heading(&browser, "accessibility statement").await?;
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_axe_and_the_keyboard_basics() -> WebDriverResult<()> {
    let started = Instant::now();
    let server = TestServer::with_challenge(&VIDEO_ORDER, 60).await;
    let (first, second) = tokio::join!(applicant_to_face_check(&server), async {
        employee_to_status(&server).await?;
        other_pages(&server).await
    });
    first?;
    second?;
    eprintln!(
        "accessibility: every screen checked in {:?}",
        started.elapsed()
    );
    Ok(())
}
