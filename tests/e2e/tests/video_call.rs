//! Issue #8 in real browsers: an applicant whose phone is not in the mobile-citizens
//! database calls an operator from the assistant; a second applicant waits behind him;
//! the operator answers, both sides see live video from the other (frames arriving),
//! the register form refuses an invalid IIN and a wrong code, then registers the phone
//! with the code from the outbox; the operator hangs up, and the applicant goes back and
//! gets his SMS code at the first step.

use std::time::Duration;

use qoltanba_e2e::walk::{enter_code, open_the_form, request_code};
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
    operator.open(&server.url("/operator")).await?;
    operator.type_into("operator-login", "operator").await?;
    operator
        .type_into("operator-password", "demo-operator-2026")
        .await?;
    operator.click("operator-sign-in").await?;
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
