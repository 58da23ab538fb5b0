//! Digital ID in a real browser (steps 8–21 of the guide): the sign-in with the
//! registered phone, the face check with the fake camera, the PIN, the document by
//! camera or by file, «Подтвердить документ» with the MRZ, the registry's verdict, the
//! account and the consent with the PIN.

use std::path::{Path, PathBuf};

use qoltanba_e2e::{
    employee_at, selfie_then_start, videos, Browser, Camera, Start, TestServer, CHALLENGE_WAIT,
    EMPLOYEE, EMPLOYEE_PHONE, VIDEO_ORDER,
};
use thirtyfour::prelude::*;

const PIN: &str = "520417";

/// The demo employee's ID card zone, with `number` (a wrong one makes its own, valid,
/// check digit: the typo is in the document, not in the zone).
fn zone(number: &str) -> String {
    qoltanba_fixtures::td1(
        number,
        EMPLOYEE,
        "920724",
        'F',
        "310411",
        "AKHMETOVA<<AIGERIM",
    )
}

async fn set_pin(browser: &Browser) -> WebDriverResult<()> {
    browser.wait_for_text("h1", "Задать PIN-код").await?;
    browser.type_into("pin", "123456").await?;
    browser
        .wait_for_text_containing("#pin-error", "Слишком простой PIN-код")
        .await?;
    browser.type_into("pin", PIN).await?;
    browser.type_into("pin-again", PIN).await?;
    browser.click_when_enabled("Задать PIN-код").await?;
    browser.wait_for_text("h1", "Добавьте документ").await
}

/// Types into a field of «Подтвердить документ» the way a date picker or a keyboard
/// would leave it (date inputs take their value in the page's own format).
async fn fill(browser: &Browser, field: &str, value: &str) -> WebDriverResult<()> {
    set_value(browser, &format!("document-{field}"), value).await
}

/// Sets an input's value and tells the page, as typing does (WebDriver's clear does not).
async fn set_value(browser: &Browser, id: &str, value: &str) -> WebDriverResult<()> {
    let input = browser.driver.find(By::Id(id)).await?;
    browser
        .driver
        .execute(
            "arguments[0].value = arguments[1];
             arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![input.to_json()?, serde_json::json!(value)],
        )
        .await?;
    Ok(())
}

async fn value_of(browser: &Browser, id: &str) -> WebDriverResult<String> {
    Ok(browser
        .driver
        .find(By::Id(id))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default())
}

/// The fields of the front side the zone does not carry, and the confirmation.
async fn fill_the_rest_and_send(browser: &Browser) -> WebDriverResult<()> {
    for (field, value) in [
        ("surname", "Ахметова"),
        ("name", "Айгерим"),
        ("patronymic", "Болатовна"),
        ("nationality", "КАЗАХ"),
        ("issuer", "МВД РК"),
        ("issued_on", "2021-04-12"),
    ] {
        fill(browser, field, value).await?;
    }
    browser.choose("Подтверждаю, что данные достоверны").await?;
    browser.click_when_enabled("Отправить").await
}

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
    browser
        .wait_for_text_containing("#keys-check", "Браузер может создать ключи")
        .await?;
    browser
        .driver
        .find(By::LinkText("Перейти к получению ЭЦП"))
        .await?
        .click()
        .await?;

    // Step 8: the phone must be the one registered for the IIN.
    browser.wait_for_text("h1", "Вход в Digital ID").await?;
    browser.type_into("phone", "+7 701 000 00 00").await?;
    browser.click_when_enabled("Получить код").await?;
    browser
        .wait_for_text_containing(
            "#sign-in-error",
            "не зарегистрирован в базе мобильных граждан для вашего ИИН",
        )
        .await?;
    browser.type_into("phone", EMPLOYEE_PHONE).await?;
    browser.click_when_enabled("Получить код").await?;
    browser
        .wait_for_text_containing("#resend-countdown", "Повторная отправка через 01:")
        .await?;
    let code = server.last_code(EMPLOYEE_PHONE).await;
    browser.type_into("sign-in-code", &code).await?;
    browser.click_when_enabled("Войти").await?;

    // Step 9: the three parts, then the face check of the face issue.
    browser.wait_for_text("h1", "Создать Digital ID").await?;
    browser
        .wait_for_text_containing("#create-steps", "Подтвердите личность")
        .await?;
    browser.click("create-start").await?;
    browser.wait_for_text("h1", "Подтвердите личность").await?;
    selfie_then_start(&browser).await?;
    browser
        .wait_long_for_text_containing("#liveness-result", "Личность подтверждена", CHALLENGE_WAIT)
        .await?;
    browser.click("to-pin").await?;
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
    browser.type_into("mrz", &zone("047881203")).await?;
    browser.click_when_enabled("Заполнить из MRZ").await?;
    browser
        .wait_for_text_containing("#mrz-reading", "совпадает с вашим")
        .await?;
    assert_eq!(value_of(&browser, "document-number").await?, "047881203");
    assert_eq!(
        value_of(&browser, "document-expires_on").await?,
        "2031-04-11"
    );
    browser
        .wait_for_text_containing("#document-number-source", "Из MRZ")
        .await?;
    fill_the_rest_and_send(&browser).await?;

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
    browser.type_into("consent-pin", PIN).await?;
    browser.click_when_enabled("Предоставить доступ").await?;
    browser
        .wait_for_text_containing("#consent-granted", "Доступ предоставлен")
        .await?;
    browser
        .wait_for_text("#identity-name", "Ахметова Айгерим Болатовна")
        .await?;
    browser.quit().await
}

/// The files of the upload tests: the card's front, its back with the employee's zone,
/// the front as a PNG renamed .jpg, and an empty file.
struct CardFiles {
    front: PathBuf,
    back: PathBuf,
    renamed_png: PathBuf,
    empty: PathBuf,
    _dir: tempfile::TempDir,
}

impl CardFiles {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        let front = image::RgbImage::from_fn(856, 540, |x, y| {
            image::Rgb([40 + (x % 180) as u8, 80 + (y % 150) as u8, 170])
        });
        front
            .save_with_format(path("front.jpg"), image::ImageFormat::Jpeg)
            .unwrap();
        front
            .save_with_format(path("renamed.jpg"), image::ImageFormat::Png)
            .unwrap();
        std::fs::write(
            path("back.jpg"),
            qoltanba_fixtures::card_back_jpeg(&zone("047881203")),
        )
        .unwrap();
        std::fs::write(path("empty.jpg"), b"").unwrap();
        Self {
            front: path("front.jpg"),
            back: path("back.jpg"),
            renamed_png: path("renamed.jpg"),
            empty: path("empty.jpg"),
            _dir: dir,
        }
    }
}

/// «Загрузить файл» for both sides, each sent, then «Далее».
async fn send_photos(browser: &Browser, files: &CardFiles) -> WebDriverResult<()> {
    browser.click_when_enabled("Загрузить файл").await?;
    for (side, file) in [("front", &files.front), ("back", &files.back)] {
        upload(browser, side, file).await?;
        browser.click(&format!("{side}-send")).await?;
        browser
            .wait_for_text_containing(&format!("#{side}-status"), "Отправлено")
            .await?;
    }
    browser.click_when_enabled("Далее").await?;
    browser.wait_for_text("h1", "Подтвердить документ").await
}

async fn upload(browser: &Browser, side: &str, file: &Path) -> WebDriverResult<()> {
    browser
        .driver
        .find(By::Id(format!("{side}-file")))
        .await?
        .send_keys(file.display().to_string())
        .await
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
    let files = CardFiles::new();
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
    assert_eq!(value_of(&browser, "document-number").await?, "047881203");
    browser
        .wait_for_text_containing("#document-number-source", "Из MRZ")
        .await?;

    // A zone with a broken check digit is shown on the field it vouches for.
    let mut broken = zone("047881203");
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
        ("birth_date", "1992-07-24"),
        ("expires_on", "2031-04-11"),
    ] {
        fill(&browser, field, value).await?;
    }
    browser
        .wait_for_text_containing("#document-number-source", "Введено вручную")
        .await?;
    fill_the_rest_and_send(&browser).await?;
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
    operator.open(&server.url("/operator")).await?;
    operator.type_into("operator-login", "operator").await?;
    operator
        .type_into("operator-password", "demo-operator-2026")
        .await?;
    operator.click("operator-sign-in").await?;
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
    applicant.type_into("consent-pin", PIN).await?;
    applicant.click_when_enabled("Предоставить доступ").await?;
    applicant
        .wait_for_text_containing("#consent-granted", "Доступ предоставлен")
        .await?;
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
    send_photos(&applicant, &CardFiles::new()).await?;
    applicant
        .wait_for_text_containing("#mrz-reading", "совпадает с вашим")
        .await?;
    fill_the_rest_and_send(&applicant).await?;
    applicant
        .wait_for_text_containing("#document-status", "Действителен до")
        .await?;
    applicant.quit().await
}
