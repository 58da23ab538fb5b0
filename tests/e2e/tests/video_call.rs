//! Issue #8 in real browsers: an applicant whose phone is not in the mobile-citizens
//! database calls an operator from the assistant; a second applicant waits behind him;
//! the operator answers, both sides see live video from the other (frames arriving),
//! the register form refuses an invalid IIN and a wrong code, then registers the phone
//! with the code from the outbox; the operator hangs up, and the applicant goes back and
//! gets his SMS code at the first step.
//!
//! And the wait's limit: with no operator for the configured time the page asks whether
//! to keep waiting or leave; keeping on asks again after as long, leaving empties the
//! queue.

use std::time::{Duration, Instant};

use qoltanba_e2e::walk::{enter_code, open_the_form, operator_signs_in, request_code};
use qoltanba_e2e::{videos, Browser, Camera, TestServer, ORG};
use thirtyfour::prelude::*;

/// In the individuals registry, with no phone in the mobile-citizens database.
const UNREGISTERED: &str = "900312307001";
const NEW_PHONE: &str = "+77015550101";
const EMPLOYEE: &str = "Сотрудник организации";
/// Setting up WebRTC between two headless browsers on a loaded machine.
const MEDIA_WAIT: Duration = Duration::from_secs(45);

/// An applicant refused for his phone, at the call page with the call placed.
async fn calling(server: &TestServer) -> WebDriverResult<Browser> {
    let browser = Browser::start(Camera::Video(videos().face_center)).await?;
    open_the_form(&browser, server).await?;
    request_code(&browser, EMPLOYEE, ORG, UNREGISTERED).await?;
    browser
        .wait_for_text_containing("#request-error", "не зарегистрирован")
        .await?;
    browser.button("Видеозвонок").await?.click().await?;
    browser.wait_for_text("h1", "Видеозвонок оператору").await?;
    browser
        .wait_for_text("#call-recording", "Звонок не записывается.")
        .await?;
    browser.click("call-start").await?;
    Ok(browser)
}

/// Waits until the `<video>` shows a live remote track: a size, and time moving on.
async fn frames_arrive(browser: &Browser, who: &str) -> WebDriverResult<()> {
    let script = "const v = document.getElementById('call-remote');
        return v ? [v.videoWidth, v.currentTime] : [0, 0];";
    let deadline = tokio::time::Instant::now() + MEDIA_WAIT;
    let mut first: Option<f64> = None;
    loop {
        let values: Vec<f64> = browser.driver.execute(script, vec![]).await?.convert()?;
        if values[0] > 0.0 {
            match first {
                None => first = Some(values[1]),
                Some(start) if values[1] > start + 0.5 => return Ok(()),
                Some(_) => {}
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{who}: no live remote video (width, time) = {values:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_registers_the_phone_in_a_video_call_and_the_applicant_gets_the_code(
) -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let applicant = calling(&server).await?;
    applicant
        .wait_for_text_containing("#call-status", "Ваше место в очереди: 1")
        .await?;
    // A second caller waits behind the first and is never put through to his call.
    let second = Browser::start(Camera::Video(videos().face_center)).await?;
    second.open(&server.url("/assistant/video-call")).await?;
    second.click("call-start").await?;
    second
        .wait_for_text_containing("#call-status", "Ваше место в очереди: 2")
        .await?;

    let operator = Browser::start(Camera::Video(videos().face_center)).await?;
    operator_signs_in(&operator, &server).await?;
    operator.click("nav-calls").await?;
    operator.wait_for_text("h1", "Входящие звонки").await?;
    let first_call = operator
        .driver
        .query(By::Css("li.waiting-call"))
        .first()
        .await?;
    first_call.find(By::Css("a.answer")).await?.click().await?;

    applicant
        .wait_long_for_text_containing("#call-status", "на связи", MEDIA_WAIT)
        .await?;
    operator
        .wait_long_for_text_containing("#call-status", "Заявитель на связи", MEDIA_WAIT)
        .await?;
    frames_arrive(&applicant, "applicant").await?;
    frames_arrive(&operator, "operator").await?;
    // The second caller moved up, and is still waiting.
    second
        .wait_for_text_containing("#call-status", "Ваше место в очереди: 1")
        .await?;

    // The register form: an invalid IIN cannot be sent, a wrong code is refused.
    operator
        .type_into("registration-iin", "900312307002")
        .await?;
    operator.type_into("registration-phone", NEW_PHONE).await?;
    operator
        .wait_for_text_containing("#registration-iin-error", "Контрольная цифра ИИН")
        .await?;
    let send = operator.driver.find(By::Id("registration-send")).await?;
    assert!(!send.is_enabled().await?, "an invalid IIN is not sent");
    operator
        .driver
        .find(By::Id("registration-iin"))
        .await?
        .clear()
        .await?;
    operator.type_into("registration-iin", UNREGISTERED).await?;
    operator.click("registration-send").await?;
    operator
        .wait_for_text_containing("#registration-code-sent", "Код отправлен")
        .await?;
    let code = server.last_code(NEW_PHONE).await;
    let wrong = if code == "00000" { "11111" } else { "00000" };
    operator.type_into("registration-code", wrong).await?;
    operator.click("registration-confirm").await?;
    operator
        .wait_for_text_containing("#registration-error", "Неверный")
        .await?;
    operator.type_into("registration-code", &code).await?;
    operator.click("registration-confirm").await?;
    operator
        .wait_for_text_containing(
            "#registration-done",
            &format!("{NEW_PHONE} зарегистрирован для ИИН {UNREGISTERED}"),
        )
        .await?;

    // The operator hangs up: the applicant's side ends cleanly.
    operator.click("call-hang-up").await?;
    applicant
        .wait_for_text_containing("#call-status", "Собеседник завершил звонок")
        .await?;
    let remote: bool = applicant
        .driver
        .execute(
            "return document.getElementById('call-remote') !== null;",
            vec![],
        )
        .await?
        .convert()?;
    assert!(!remote, "the call's video is gone");
    second.click("call-leave").await?;
    second
        .wait_for_text_containing("#call-status", "Звонок завершён")
        .await?;
    operator.click("call-back-to-queue").await?;
    operator
        .wait_for_text("#calls-empty", "Никто не ждёт.")
        .await?;

    // Back at the first step, the code now goes to the registered phone.
    applicant.click("call-back").await?;
    request_code(&applicant, EMPLOYEE, ORG, UNREGISTERED).await?;
    applicant
        .wait_for_text_containing("#code-sent-to", "+7 701 *** ** 01")
        .await?;
    enter_code(&applicant, &server.last_code(NEW_PHONE).await).await?;
    applicant
        .wait_for_text(
            "h1",
            "Пользователь зарегистрирован в базе мобильных граждан",
        )
        .await?;

    for browser in [applicant, second, operator] {
        browser.quit().await?;
    }
    Ok(())
}

/// `locales/ru.json`: `call.wait_long`, `call.ended_here`.
const WAIT_LONG: &str = "Все операторы заняты дольше обычного.";
const ENDED_HERE: &str = "Звонок завершён.";
/// The server's `call_wait_seconds` in the wait test.
const CALL_WAIT_SECONDS: u32 = 2;

/// Waits until `#call-wait-long` is shown, and checks it was not before the wait was
/// over: the page's timer starts after `since` (the click that started it).
async fn wait_long_shown(browser: &Browser, since: Instant) -> WebDriverResult<()> {
    let notice = browser
        .driver
        .query(By::Id("call-wait-long"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .and_displayed()
        .first()
        .await?;
    let after = since.elapsed();
    assert!(
        after >= Duration::from_secs(CALL_WAIT_SECONDS.into()),
        "asked after {after:?}"
    );
    assert_eq!(notice.attr("role").await?.as_deref(), Some("alert"));
    let text = notice.text().await?;
    assert!(text.contains(WAIT_LONG), "{text:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn no_operator_for_the_wait_asks_to_keep_waiting_or_leave() -> WebDriverResult<()> {
    let server =
        TestServer::start_configured(|config| config.call_wait_seconds = CALL_WAIT_SECONDS).await;
    let applicant = Browser::start(Camera::Video(videos().face_center)).await?;
    applicant.open(&server.url("/assistant/video-call")).await?;
    let started = Instant::now();
    applicant.click("call-start").await?;
    applicant
        .wait_for_text_containing("#call-status", "Ваше место в очереди: 1")
        .await?;
    wait_long_shown(&applicant, started).await?;

    // Keeping on hides the question, and it comes back after the wait again.
    let kept = Instant::now();
    applicant.click("call-keep-waiting").await?;
    assert!(applicant
        .driver
        .find(By::Id("call-wait-long"))
        .await
        .is_err());
    wait_long_shown(&applicant, kept).await?;
    applicant
        .wait_for_text_containing("#call-status", "Ваше место в очереди: 1")
        .await?;
    // Leaving ends the call, and no operator sees it waiting.
    applicant.click("call-leave").await?;
    applicant.wait_for_text("#call-status", ENDED_HERE).await?;
    assert!(applicant
        .driver
        .find(By::Id("call-wait-long"))
        .await
        .is_err());
    let client = reqwest::Client::new();
    let signed_in = client
        .post(server.url("/api/v1/operator/sessions"))
        .json(&serde_json::json!({ "login": "operator", "password": "demo-operator-2026" }))
        .send()
        .await
        .expect("the operator signs in");
    assert_eq!(signed_in.status(), 201);
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let waiting: Vec<serde_json::Value> = client
            .get(server.url("/api/v1/operator/calls"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("the queue answers")
            .json()
            .await
            .expect("a list of calls");
        if waiting.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "still waiting: {waiting:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    applicant.quit().await
}
