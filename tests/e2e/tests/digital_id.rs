//! Digital ID in a real browser (steps 8–21 of the guide): the sign-in with the
//! registered phone, the face check with the fake camera, the PIN, the document by
//! camera or by file, «Подтвердить документ» with the MRZ, the registry's verdict, the
//! account and the consent with the PIN.

use qoltanba_e2e::walk::{
    document_by_file, face_check, fill, fill_the_rest_and_send, grant_access, operator_signs_in,
    send_photos, set_pin, set_value, sign_in, to_digital_id, upload, value_of, CardFiles, Person,
};
use qoltanba_e2e::{
    employee_at, videos, Browser, Camera, Start, TestServer, EMPLOYEE_PHONE, VIDEO_ORDER,
};
use thirtyfour::prelude::*;

const EMPLOYEE: Person = Person::EMPLOYEE;

#[tokio::test]
async fn a_matching_document_passes_straight_through_to_the_consent() -> WebDriverResult<()> {
    let server = TestServer::with_challenge(&VIDEO_ORDER, 60).await;
    let (browser, _) = employee_at(
        &server,
        Start::PhoneVerified,
        videos().liveness_sequence,
        "/apply/registered",
    )
    .await?;
    to_digital_id(&browser).await?;

    // Step 8: the phone must be the one registered for the IIN.
    browser.type_into("phone", "+7 701 000 00 00").await?;
    browser.click_when_enabled("Получить код").await?;
    browser
        .wait_for_text_containing(
            "#sign-in-error",
            "не зарегистрирован в базе мобильных граждан для вашего ИИН",
        )
        .await?;
    sign_in(&browser, &server, EMPLOYEE_PHONE).await?;

    // Step 9: the three parts, then the face check of the face issue.
    face_check(&browser).await?;
    set_pin(&browser).await?;

    // Steps 15–16 with the camera: the front, then the back, each shown before sending.
    browser.click_when_enabled("Сделать фото").await?;
    for side in ["front", "back"] {
        let label = if side == "front" {
            "Лицевая сторона"
        } else {
            "Оборотная сторона"
        };
        browser
            .wait_for_text_containing("#camera-side", label)
            .await?;
        browser.click_when_enabled("Сделать снимок").await?;
        browser
            .driver
            .query(By::Css(format!("#side-{side} img.document-preview")))
            .first()
            .await?;
        browser.click(&format!("{side}-send")).await?;
        browser
            .wait_for_text_containing(&format!("#{side}-status"), "Отправлено")
            .await?;
    }
    browser.click_when_enabled("Далее").await?;

    // Step 17: the zone fills the number and the dates, with their check digits.
    browser.wait_for_text("h1", "Подтвердить документ").await?;
    browser
        .type_into("mrz", &EMPLOYEE.zone(EMPLOYEE.card_number))
        .await?;
    browser.click_when_enabled("Заполнить из MRZ").await?;
    browser
        .wait_for_text_containing("#mrz-reading", "совпадает с вашим")
        .await?;
    assert_eq!(
        value_of(&browser, "document-number").await?,
        EMPLOYEE.card_number
    );
    assert_eq!(
        value_of(&browser, "document-expires_on").await?,
        EMPLOYEE.card_expires_on
    );
    browser
        .wait_for_text_containing("#document-number-source", "Из MRZ")
        .await?;
    fill_the_rest_and_send(&browser, &EMPLOYEE).await?;

    // Step 18–19: verified at once; the account shows the document.
    browser.wait_for_text("h1", "Документы").await?;
    browser
        .wait_for_text_containing("#document-status", "Действителен до")
        .await?;
    browser
        .wait_for_text_containing("#history", "Документ подтвержден")
        .await?;
    browser.click("to-consent").await?;

    // Steps 20–21: the consent, with a wrong PIN counted first.
    browser
        .wait_for_text_containing("#consent-request", "Удостоверение")
        .await?;
    browser.click_when_enabled("Продолжить").await?;
    browser.type_into("consent-pin", "000001").await?;
    browser.click_when_enabled("Предоставить доступ").await?;
    browser
        .wait_for_text_containing("#consent-error", "Осталось попыток: 4")
        .await?;
    grant_access(&browser, &EMPLOYEE).await?;
    browser.quit().await
}

/// From the PIN to «Документы» with a typo in the document number: the document goes
/// to an operator. Returns the browser at the account page.
async fn document_with_a_typo(server: &TestServer) -> WebDriverResult<Browser> {
    let (browser, _) = employee_at(
        server,
        Start::FaceChecked,
        videos().liveness_sequence,
        "/digital-id/pin",
    )
    .await?;
    set_pin(&browser).await?;
    let files = CardFiles::new(&EMPLOYEE);
    // Anything but a JPEG is refused before it is sent.
    browser.click_when_enabled("Загрузить файл").await?;
    upload(&browser, "front", &files.renamed_png).await?;
    browser
        .wait_for_text_containing("#front-status", "Это не фотография в формате JPEG")
        .await?;
    upload(&browser, "front", &files.empty).await?;
    browser
        .wait_for_text_containing("#front-status", "Файл пустой")
        .await?;
    send_photos(&browser, &files).await?;

    // The zone was read from the photo of the back: the number and dates come from it.
    browser
        .wait_for_text_containing("#mrz-from-photo", "прочитаны с фотографии")
        .await?;
    assert_eq!(
        value_of(&browser, "document-number").await?,
        EMPLOYEE.card_number
    );
    browser
        .wait_for_text_containing("#document-number-source", "Из MRZ")
        .await?;

    // A zone with a broken check digit is shown on the field it vouches for.
    let mut broken = EMPLOYEE.zone(EMPLOYEE.card_number);
    broken.replace_range(14..15, if &broken[14..15] == "0" { "1" } else { "0" });
    browser.type_into("mrz", &broken).await?;
    browser.click_when_enabled("Заполнить из MRZ").await?;
    browser
        .wait_for_text_containing(
            "#document-number-error",
            "Контрольная цифра MRZ не сходится",
        )
        .await?;
    // Typed by hand instead, with a typo in the number.
    set_value(&browser, "mrz", "").await?;
    for (field, value) in [
        ("number", "047881208"),
        ("birth_date", EMPLOYEE.birth_date),
        ("expires_on", EMPLOYEE.card_expires_on),
    ] {
        fill(&browser, field, value).await?;
    }
    browser
        .wait_for_text_containing("#document-number-source", "Введено вручную")
        .await?;
    fill_the_rest_and_send(&browser, &EMPLOYEE).await?;
    browser.wait_for_text("h1", "Документы").await?;
    browser
        .wait_for_text_containing("#document-status", "направлен на проверку (модерацию)")
        .await?;
    Ok(browser)
}

/// The demo operator, in a browser of their own, opens the only case and decides it:
/// approves, or rejects with `reason`.
async fn operator_decides(server: &TestServer, reject: Option<&str>) -> WebDriverResult<()> {
    let operator = Browser::start(Camera::None).await?;
    operator_signs_in(&operator, server).await?;
    operator
        .driver
        .query(By::Css("a[data-testid='case-link']"))
        .first()
        .await?
        .click()
        .await?;
    // The case shows what differs, beside the photos the applicant sent.
    operator
        .wait_for_text_containing("#case-name", "Ахметова Айгерим")
        .await?;
    operator
        .wait_for_text_containing("#case-mismatches", "омер")
        .await?;
    operator.driver.query(By::Id("case-front")).first().await?;
    match reject {
        None => operator.click("approve").await?,
        Some(reason) => {
            operator.type_into("reason", reason).await?;
            operator.click("reject").await?;
        }
    }
    operator
        .driver
        .query(By::Id("operator-status"))
        .first()
        .await?;
    operator.quit().await
}

#[tokio::test]
async fn an_operator_approves_a_document_with_a_typo_and_the_applicant_continues(
) -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let applicant = document_with_a_typo(&server).await?;
    // Nothing to consent to yet.
    assert!(applicant.driver.find(By::Id("to-consent")).await.is_err());
    operator_decides(&server, None).await?;

    // The account page asks again by itself: the decision arrives, with an SMS.
    applicant
        .wait_for_text_containing("#document-status", "Действителен до")
        .await?;
    applicant.click_when_enabled("Посмотреть").await?;
    let sms = server.last_sms(EMPLOYEE_PHONE).await;
    assert!(sms.contains("Digital ID"), "{sms}");
    applicant.click("to-consent").await?;
    applicant.click_when_enabled("Продолжить").await?;
    grant_access(&applicant, &EMPLOYEE).await?;
    applicant.quit().await
}

#[tokio::test]
async fn a_rejected_applicant_sees_the_reason() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let applicant = document_with_a_typo(&server).await?;
    let reason = "Номер документа не читается на фото, переснимите лицевую сторону";
    operator_decides(&server, Some(reason)).await?;
    applicant
        .wait_for_text_containing("#document-status", reason)
        .await?;
    assert!(applicant.driver.find(By::Id("to-consent")).await.is_err());
    // A new document in the same session: new photos, the zone read again, verified.
    applicant.click("add-again").await?;
    applicant.wait_for_text("h1", "Добавьте документ").await?;
    document_by_file(&applicant, &EMPLOYEE).await?;
    applicant.quit().await
}
