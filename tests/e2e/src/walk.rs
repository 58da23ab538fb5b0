//! The applicant's way through the wizard, a stretch at a time, for any demo person:
//! the tests of each stretch and the test of the whole way share these steps.

use std::path::{Path, PathBuf};

use thirtyfour::prelude::*;

use crate::{selfie_then_start, Browser, TestServer, CHALLENGE_WAIT};

/// The Digital ID PIN every walk sets.
pub const PIN: &str = "520417";

/// A demo person as the registries know them, and their ID card.
pub struct Person {
    pub iin: &'static str,
    pub phone: &'static str,
    /// The phone as the code page shows it.
    pub masked_phone: &'static str,
    pub surname: &'static str,
    pub name: &'static str,
    pub patronymic: &'static str,
    /// `YYYY-MM-DD`.
    pub birth_date: &'static str,
    pub sex: char,
    pub nationality: &'static str,
    /// The names in the card's machine-readable zone.
    pub zone_names: &'static str,
    pub card_number: &'static str,
    pub card_issued_on: &'static str,
    pub card_expires_on: &'static str,
    pub card_issuer: &'static str,
}

impl Person {
    /// The demo employee of the demo organisation.
    pub const EMPLOYEE: Person = Person {
        iin: crate::EMPLOYEE,
        phone: crate::EMPLOYEE_PHONE,
        masked_phone: "+7 701 *** ** 21",
        surname: "Ахметова",
        name: "Айгерим",
        patronymic: "Болатовна",
        birth_date: "1992-07-24",
        sex: 'F',
        nationality: "КАЗАХ",
        zone_names: "AKHMETOVA<<AIGERIM",
        card_number: "047881203",
        card_issued_on: "2021-04-12",
        card_expires_on: "2031-04-11",
        card_issuer: "МВД РК",
    };

    /// The demo organisation's first head.
    pub const HEAD: Person = Person {
        iin: crate::HEAD,
        phone: crate::HEAD_PHONE,
        masked_phone: "+7 701 *** ** 67",
        surname: "Сейткали",
        name: "Ерлан",
        patronymic: "Нурланович",
        birth_date: "1985-01-15",
        sex: 'M',
        nationality: "КАЗАХ",
        zone_names: "SEITKALI<<ERLAN",
        card_number: "045123781",
        card_issued_on: "2021-04-12",
        card_expires_on: "2031-04-11",
        card_issuer: "МВД РК",
    };

    /// The card's TD1 zone with `number` (a wrong one makes its own, valid, check
    /// digit: a typo is in the document, not in the zone).
    pub fn zone(&self, number: &str) -> String {
        qoltanba_fixtures::td1(
            number,
            self.iin,
            &yymmdd(self.birth_date),
            self.sex,
            &yymmdd(self.card_expires_on),
            self.zone_names,
        )
    }

    pub fn full_name(&self) -> String {
        format!("{} {} {}", self.surname, self.name, self.patronymic)
    }
}

/// `YYYY-MM-DD` as the zone writes dates.
fn yymmdd(date: &str) -> String {
    format!("{}{}{}", &date[2..4], &date[5..7], &date[8..10])
}

/// From the landing page to the applicant form.
pub async fn open_the_form(browser: &Browser, server: &TestServer) -> WebDriverResult<()> {
    browser.open(&server.url("/")).await?;
    browser
        .button("Получить ЭЦП удаленно")
        .await?
        .click()
        .await?;
    browser
        .wait_for_text("#webcam-result", "Веб-камера имеется")
        .await?;
    browser.button("Далее").await?.click().await?;
    browser
        .wait_for_text("h1", "Выберите на кого получить услугу")
        .await
}

/// A legal entity's `template`, BIN and IIN, and «Отправить запрос».
pub async fn request_code(
    browser: &Browser,
    template: &str,
    bin: &str,
    iin: &str,
) -> WebDriverResult<()> {
    browser.choose("Юридическое лицо").await?;
    browser.choose(template).await?;
    browser
        .wait_for_text(
            "#application-heading",
            &format!("Подача онлайн заявки по шаблону Юридическое лицо - {template}"),
        )
        .await?;
    browser.type_into("bin", bin).await?;
    browser.type_into("iin", iin).await?;
    browser.button("Отправить запрос").await?.click().await
}

pub async fn enter_code(browser: &Browser, code: &str) -> WebDriverResult<()> {
    browser.type_into("code", code).await?;
    browser
        .button("Проверить одноразовый пароль")
        .await?
        .click()
        .await
}

/// At the code page of `person`: the masked phone and the countdown, the code from the
/// outbox, then «Пользователь зарегистрирован…» with the way on open.
pub async fn registered(
    browser: &Browser,
    server: &TestServer,
    person: &Person,
) -> WebDriverResult<()> {
    browser
        .wait_for_text(
            "#code-sent-to",
            &format!(
                "Одноразовый пароль отправлен на номер телефона {}",
                person.masked_phone
            ),
        )
        .await?;
    let countdown = browser
        .wait_for_text_containing("#countdown", "Оставшееся время: ")
        .await?;
    let seconds: u32 = countdown
        .split_whitespace()
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    assert!((80..=90).contains(&seconds), "{countdown}");
    enter_code(browser, &server.last_code(person.phone).await).await?;
    browser
        .wait_for_text(
            "h1",
            "Пользователь зарегистрирован в базе мобильных граждан",
        )
        .await?;
    browser
        .wait_for_text(
            "#keys-check",
            "Браузер может создать ключи ЭЦП. Плагин NCALayer не нужен.",
        )
        .await?;
    let next = browser
        .driver
        .find(By::LinkText("Перейти к получению ЭЦП"))
        .await?;
    assert_eq!(next.attr("aria-disabled").await?.as_deref(), Some("false"));
    Ok(())
}

/// «Перейти к получению ЭЦП»: the Digital ID sign-in.
pub async fn to_digital_id(browser: &Browser) -> WebDriverResult<()> {
    browser
        .wait_for_text_containing("#keys-check", "Браузер может создать ключи")
        .await?;
    browser
        .driver
        .find(By::LinkText("Перейти к получению ЭЦП"))
        .await?
        .click()
        .await?;
    browser.wait_for_text("h1", "Вход в Digital ID").await
}

/// Signs in to Digital ID with `phone` and the code from the outbox.
pub async fn sign_in(browser: &Browser, server: &TestServer, phone: &str) -> WebDriverResult<()> {
    browser.type_into("phone", phone).await?;
    browser.click_when_enabled("Получить код").await?;
    browser
        .wait_for_text_containing("#resend-countdown", "Повторная отправка через 01:")
        .await?;
    let code = server.last_code(phone).await;
    browser.type_into("sign-in-code", &code).await?;
    browser.click_when_enabled("Войти").await?;
    browser.wait_for_text("h1", "Создать Digital ID").await
}

/// «Создать Digital ID»: its three parts, then the selfie and the liveness challenge
/// played by the fake camera (the server's challenge must be `VIDEO_ORDER`); ends at
/// the PIN.
pub async fn face_check(browser: &Browser) -> WebDriverResult<()> {
    browser
        .wait_for_text_containing("#create-steps", "Подтвердите личность")
        .await?;
    browser.click("create-start").await?;
    browser.wait_for_text("h1", "Подтвердите личность").await?;
    selfie_then_start(browser).await?;
    browser
        .wait_long_for_text_containing("#liveness-result", "Личность подтверждена", CHALLENGE_WAIT)
        .await?;
    browser.click("to-pin").await
}

/// «Задать PIN-код»: a too simple one is refused, then `PIN`.
pub async fn set_pin(browser: &Browser) -> WebDriverResult<()> {
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
pub async fn fill(browser: &Browser, field: &str, value: &str) -> WebDriverResult<()> {
    set_value(browser, &format!("document-{field}"), value).await
}

/// Sets an input's value and tells the page, as typing does (WebDriver's clear does not).
pub async fn set_value(browser: &Browser, id: &str, value: &str) -> WebDriverResult<()> {
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

pub async fn value_of(browser: &Browser, id: &str) -> WebDriverResult<String> {
    Ok(browser
        .driver
        .find(By::Id(id))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default())
}

/// The fields of the front side the zone does not carry, and the confirmation.
pub async fn fill_the_rest_and_send(browser: &Browser, person: &Person) -> WebDriverResult<()> {
    for (field, value) in [
        ("surname", person.surname),
        ("name", person.name),
        ("patronymic", person.patronymic),
        ("nationality", person.nationality),
        ("issuer", person.card_issuer),
        ("issued_on", person.card_issued_on),
    ] {
        fill(browser, field, value).await?;
    }
    browser.choose("Подтверждаю, что данные достоверны").await?;
    browser.click_when_enabled("Отправить").await
}

/// The files of the upload tests: the card's front, its back with the person's zone,
/// the front as a PNG renamed .jpg, and an empty file.
pub struct CardFiles {
    pub front: PathBuf,
    pub back: PathBuf,
    pub renamed_png: PathBuf,
    pub empty: PathBuf,
    _dir: tempfile::TempDir,
}

impl CardFiles {
    pub fn new(person: &Person) -> Self {
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
            qoltanba_fixtures::card_back_jpeg(&person.zone(person.card_number)),
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
pub async fn send_photos(browser: &Browser, files: &CardFiles) -> WebDriverResult<()> {
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

pub async fn upload(browser: &Browser, side: &str, file: &Path) -> WebDriverResult<()> {
    browser
        .driver
        .find(By::Id(format!("{side}-file")))
        .await?
        .send_keys(file.display().to_string())
        .await
}

/// At «Добавьте документ»: the person's card by file, its zone read from the photo of
/// the back, the rest typed; verified at once, at «Документы».
pub async fn document_by_file(browser: &Browser, person: &Person) -> WebDriverResult<()> {
    send_photos(browser, &CardFiles::new(person)).await?;
    browser
        .wait_for_text_containing("#mrz-reading", "совпадает с вашим")
        .await?;
    assert_eq!(
        value_of(browser, "document-number").await?,
        person.card_number
    );
    assert_eq!(
        value_of(browser, "document-expires_on").await?,
        person.card_expires_on
    );
    fill_the_rest_and_send(browser, person).await?;
    browser.wait_for_text("h1", "Документы").await?;
    browser
        .wait_for_text_containing("#document-status", "Действителен до")
        .await
        .map(drop)
}

/// At «Запрос доступа»: `PIN` and «Предоставить доступ»; the person's identity passed on.
pub async fn grant_access(browser: &Browser, person: &Person) -> WebDriverResult<()> {
    browser.type_into("consent-pin", PIN).await?;
    browser.click_when_enabled("Предоставить доступ").await?;
    browser
        .wait_for_text_containing("#consent-granted", "Доступ предоставлен")
        .await?;
    browser
        .wait_for_text("#identity-name", &person.full_name())
        .await
}
