//! Steps 1–5 of the guide in a real browser: the applicant's choice and template, BIN
//! and IIN checked as typed, the mobile-citizens check with the code from the SMS
//! outbox, wrong and expired codes, and the way to the operator.

use qoltanba_e2e::walk::{enter_code, open_the_form, registered, request_code, Person};
use qoltanba_e2e::{videos, Browser, Camera, TestServer, EMPLOYEE, EMPLOYEE_PHONE, HEAD, ORG};
use thirtyfour::prelude::*;

/// From the landing page to the applicant form, with the fake camera.
async fn to_the_form(server: &TestServer) -> WebDriverResult<Browser> {
    let browser = Browser::start(Camera::Video(videos().face_center)).await?;
    open_the_form(&browser, server).await?;
    Ok(browser)
}

/// Asks for a code for an employee and returns it, read from the SMS outbox.
async fn employee_code(browser: &Browser, server: &TestServer) -> WebDriverResult<String> {
    request_code(browser, "Сотрудник организации", ORG, EMPLOYEE).await?;
    browser
        .wait_for_text_containing("#code-sent-to", "+7 701")
        .await?;
    Ok(server.last_code(EMPLOYEE_PHONE).await)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_employee_passes_the_mobile_citizens_check() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = to_the_form(&server).await?;
    request_code(&browser, "Сотрудник организации", ORG, EMPLOYEE).await?;
    registered(&browser, &server, &Person::EMPLOYEE).await?;
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_head_passes_and_a_reload_resumes_at_the_code() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = to_the_form(&server).await?;
    request_code(&browser, "Первый руководитель", ORG, HEAD).await?;
    browser
        .wait_for_text_containing("#code-sent-to", Person::HEAD.masked_phone)
        .await?;
    browser.driver.refresh().await?;
    assert_eq!(browser.path().await?, "/apply/code");
    // Back shows the form as it was sent; forward returns to the code.
    browser.driver.back().await?;
    browser
        .wait_for_text("h1", "Выберите на кого получить услугу")
        .await?;
    let iin = browser.driver.find(By::Id("iin")).await?;
    assert_eq!(iin.prop("value").await?.as_deref(), Some(HEAD));
    browser.driver.forward().await?;
    registered(&browser, &server, &Person::HEAD).await?;
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_identifiers_are_explained_as_typed_and_block_the_request() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = to_the_form(&server).await?;
    browser.choose("Юридическое лицо").await?;
    browser.choose("Сотрудник отдела кадров").await?;
    browser.type_into("bin", ORG).await?;
    let iin = browser.driver.find(By::Id("iin")).await?;
    let send = browser.button("Отправить запрос").await?;
    for (typed, message) in [
        (
            "850115301239",
            "Контрольная цифра ИИН не совпадает: проверьте номер",
        ),
        ("851315301238", "В ИИН указана несуществующая дата рождения"),
        ("85011530123x", "ИИН состоит только из цифр"),
    ] {
        browser.type_into("iin", typed).await?;
        browser.wait_for_text("#iin-error", message).await?;
        assert_eq!(iin.attr("aria-invalid").await?.as_deref(), Some("true"));
        assert_eq!(
            iin.attr("aria-describedby").await?.as_deref(),
            Some("iin-error")
        );
        assert!(!send.is_enabled().await?);
    }
    browser.type_into("bin", "150340001237").await?;
    browser
        .wait_for_text(
            "#bin-error",
            "Контрольная цифра БИН не совпадает: проверьте номер",
        )
        .await?;
    browser.type_into("iin", EMPLOYEE).await?;
    browser.wait_for_text("#iin-error", "").await?;
    assert_eq!(iin.attr("aria-invalid").await?.as_deref(), Some("false"));
    assert!(!send.is_enabled().await?, "the BIN is still wrong");
    browser.type_into("bin", ORG).await?;
    browser.button("Отправить запрос").await?;
    assert!(send.is_enabled().await?);
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn registry_refusals_say_what_is_wrong() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = to_the_form(&server).await?;
    request_code(&browser, "Сотрудник организации", "200140000014", EMPLOYEE).await?;
    browser
        .wait_for_text(
            "#request-error",
            "Организация с таким БИН не найдена в Государственной базе данных «Юридические лица»",
        )
        .await?;
    browser.choose("Первый руководитель").await?;
    browser.type_into("bin", ORG).await?;
    browser.button("Отправить запрос").await?.click().await?;
    browser
        .wait_for_text(
            "#request-error",
            "Этот ИИН не принадлежит первому руководителю организации. Выберите другой шаблон или проверьте ИИН.",
        )
        .await?;
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn three_wrong_codes_lock_the_iin() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = to_the_form(&server).await?;
    let right = employee_code(&browser, &server).await?;
    let wrong = format!("{}{}", &right[..4], (right.as_bytes()[4] - b'0' + 1) % 10);
    for left in [2, 1] {
        enter_code(&browser, &wrong).await?;
        browser
            .wait_for_text(
                "#check-error",
                &format!("Неверный одноразовый пароль. Осталось попыток: {left}"),
            )
            .await?;
    }
    enter_code(&browser, &wrong).await?;
    browser
        .wait_for_text_containing(
            "#check-error",
            "Слишком много неверных попыток. Повторите после ",
        )
        .await?;
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn after_expiry_a_new_code_can_be_sent_and_used() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = to_the_form(&server).await?;
    let old = employee_code(&browser, &server).await?;

    // Ninety-one seconds pass, for the server and for the page.
    let now = time::OffsetDateTime::now_utc();
    sqlx::query("UPDATE phone_checks SET created_at = ?, expires_at = ?")
        .bind(now - time::Duration::seconds(91))
        .bind(now - time::Duration::seconds(1))
        .execute(&server.state.db)
        .await
        .unwrap();
    browser
        .driver
        .execute(
            "const w = JSON.parse(sessionStorage.getItem('qoltanba.wizard'));
             w.CodeSent.expires_at_ms = Date.now() - 1000;
             sessionStorage.setItem('qoltanba.wizard', JSON.stringify(w));",
            vec![],
        )
        .await?;
    browser.driver.refresh().await?;
    browser
        .wait_for_text(
            "#check-error",
            "Срок действия одноразового пароля истек. Запросите новый пароль.",
        )
        .await?;
    browser
        .wait_for_text("#countdown", "Оставшееся время: 0 секунд")
        .await?;
    browser
        .button("Отправить пароль повторно")
        .await?
        .click()
        .await?;
    browser
        .wait_for_text_containing("#countdown", "Оставшееся время: 9")
        .await?;
    let new = server.last_code(EMPLOYEE_PHONE).await;
    assert_ne!(new, old, "a new code was sent");
    enter_code(&browser, &new).await?;
    browser
        .wait_for_text(
            "h1",
            "Пользователь зарегистрирован в базе мобильных граждан",
        )
        .await?;
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_registered_phone_the_assistant_explains_the_operator_route(
) -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = to_the_form(&server).await?;
    request_code(&browser, "Сотрудник организации", ORG, "900312307001").await?;
    browser
        .wait_for_text(
            "#request-error",
            "Ваш номер телефона не зарегистрирован в базе мобильных граждан.",
        )
        .await?;
    browser
        .wait_for_text("#assistant-title", "Виртуальный ассистент")
        .await?;
    browser
        .wait_for_text_containing(
            "#assistant-explain",
            "зарегистрируйте номер у оператора по видеозвонку",
        )
        .await?;
    browser.button("Қазақша").await?.click().await?;
    browser.button("Бейнеқоңырау").await?.click().await?;
    browser
        .wait_for_text("h1", "Операторға бейнеқоңырау")
        .await?;
    browser
        .wait_for_text("#call-recording", "Қоңырау жазылмайды.")
        .await?;
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_start_works_with_the_keyboard_alone() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = Browser::start(Camera::Video(videos().face_center)).await?;
    browser.open(&server.url("/")).await?;
    browser.button("Получить ЭЦП удаленно").await?;
    browser.tab_to("Получить ЭЦП удаленно").await?;
    browser.press(Key::Enter).await?;
    browser
        .wait_for_text("#webcam-result", "Веб-камера имеется")
        .await?;
    browser.tab_to("Далее").await?;
    browser.press(Key::Enter).await?;
    browser
        .wait_for_text("h1", "Выберите на кого получить услугу")
        .await?;
    browser.tab_to("Юридическое лицо").await?;
    browser.press(Key::Space).await?;
    browser.tab_to("Первый руководитель").await?;
    // Arrow keys move within a radio group, as in every browser.
    for _ in 0..4 {
        browser.press(Key::Down).await?;
    }
    browser
        .wait_for_text(
            "#application-heading",
            "Подача онлайн заявки по шаблону Юридическое лицо - Сотрудник организации",
        )
        .await?;
    browser.tab_to("Введите БИН").await?;
    browser.press(ORG).await?;
    browser.press(Key::Tab).await?;
    browser.press(EMPLOYEE).await?;
    browser.press(Key::Enter).await?;
    browser
        .wait_for_text_containing("#code-sent-to", Person::EMPLOYEE.masked_phone)
        .await?;
    browser.tab_to("Введите одноразовый пароль").await?;
    browser
        .press(server.last_code(EMPLOYEE_PHONE).await)
        .await?;
    browser.press(Key::Enter).await?;
    browser
        .wait_for_text(
            "h1",
            "Пользователь зарегистрирован в базе мобильных граждан",
        )
        .await?;
    browser.quit().await
}
