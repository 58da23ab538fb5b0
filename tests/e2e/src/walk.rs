//! The applicant's way through the wizard, a stretch at a time, for any demo person:
//! the tests of each stretch and the test of the whole way share these steps.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use thirtyfour::prelude::*;

use crate::{seed_employee, selfie_then_start, Browser, Start, TestServer, CHALLENGE_WAIT, ORG};

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
    /// What the application form is given (the certificates carry it).
    pub email: &'static str,
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
        email: "akhmetova@qoltanba.kz",
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
        email: "seitkali@qoltanba.kz",
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

    /// «Подтвердить документ»'s fields the card's zone does not fill, by their names,
    /// with what the person types: `issued_on` is a date (`YYYY-MM-DD`).
    pub fn typed_document_fields(&self) -> [(&'static str, &'static str); 6] {
        [
            ("surname", self.surname),
            ("name", self.name),
            ("patronymic", self.patronymic),
            ("nationality", self.nationality),
            ("issuer", self.card_issuer),
            ("issued_on", self.card_issued_on),
        ]
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
    for (field, value) in person.typed_document_fields() {
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

/// Key stores are written in the page (PBKDF2 in wasm) before they are downloaded; a
/// submission makes two key pairs first.
pub const INSTALL_WAIT: Duration = Duration::from_secs(60);

/// Steps 1–7 for `person` of the demo organisation applying by `template`: the form,
/// the code from the outbox, «Пользователь зарегистрирован…».
pub async fn mobile_citizens(
    browser: &Browser,
    server: &TestServer,
    person: &Person,
    template: &str,
) -> WebDriverResult<()> {
    open_the_form(browser, server).await?;
    request_code(browser, template, ORG, person.iin).await?;
    registered(browser, server, person).await
}

/// Steps 8–21: the Digital ID sign-in, the face check played by the camera (the
/// server's challenge must be `VIDEO_ORDER`), the PIN, the document by file, the consent.
pub async fn digital_id_consent(
    browser: &Browser,
    server: &TestServer,
    person: &Person,
) -> WebDriverResult<()> {
    to_digital_id(browser).await?;
    sign_in(browser, server, person.phone).await?;
    face_check(browser).await?;
    set_pin(browser).await?;
    document_by_file(browser, person).await?;
    consent(browser, person).await
}

/// From «Документы» to «Доступ предоставлен».
pub async fn consent(browser: &Browser, person: &Person) -> WebDriverResult<()> {
    browser.click("to-consent").await?;
    browser.click_when_enabled("Продолжить").await?;
    grant_access(browser, person).await
}

/// Step 22: the user agreement, accepted; at «Данные онлайн заявки».
pub async fn accept_agreement(browser: &Browser) -> WebDriverResult<()> {
    browser.click("to-agreement").await?;
    browser
        .wait_for_text_containing("h1", "Пользовательское соглашение")
        .await?;
    assert_eq!(browser.path().await?, "/apply/agreement");
    browser.click("agreement-accept").await?;
    browser
        .wait_for_text("h1", "Подача онлайн заявки (генерация ключевой пары)")
        .await?;
    assert_eq!(browser.path().await?, "/apply/form");
    Ok(())
}

/// «Данные онлайн заявки»: the person's e-mail, the keys kept in this browser.
pub async fn fill_the_form(browser: &Browser, person: &Person) -> WebDriverResult<()> {
    browser.type_into("form-email", person.email).await?;
    browser.click("form-keep-in-browser").await?;
    browser
        .wait_for_text_containing("#form-place", "Ключи будут храниться в этом браузере")
        .await
        .map(drop)
}

/// «Подать заявку»: the keys are made and the requests sent; step 26 shows the number,
/// which is returned.
pub async fn submit_application(browser: &Browser) -> WebDriverResult<String> {
    browser.click("form-submit").await?;
    browser
        .wait_long_for_text_containing("h1", "ЗАЯВКА УСПЕШНО СФОРМИРОВАНА!", INSTALL_WAIT)
        .await?;
    let number = browser
        .driver
        .find(By::Id("application-number"))
        .await?
        .text()
        .await?;
    assert!(
        number.len() == 14 && number.bytes().all(|b| b.is_ascii_digit()),
        "{number:?}"
    );
    Ok(number)
}

/// The two key stores of an installation, as NCA names them.
#[derive(Debug, Clone)]
pub struct KeyStores {
    /// `AUTH_ECDSA256_<SKI>.p12`: signs in (the cabinet, TLS clients).
    pub authentication: PathBuf,
    /// `ECDSA256_<SKI>.p12`: signs documents (the cabinet's decisions).
    pub signing: PathBuf,
}

impl KeyStores {
    /// Tells the two apart by their names; fails unless `files` are exactly these two.
    pub fn from_files(files: &[PathBuf]) -> Self {
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        let find = |prefix: &str| {
            files
                .iter()
                .find(|f| {
                    f.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .strip_prefix(prefix)
                        .is_some_and(|rest| rest.ends_with(".p12"))
                })
                .unwrap_or_else(|| panic!("no {prefix}<SKI>.p12 in {names:?}"))
                .clone()
        };
        assert_eq!(files.len(), 2, "{names:?}");
        Self {
            authentication: find("AUTH_ECDSA256_"),
            signing: find("ECDSA256_"),
        }
    }
}

/// At the status page of an issued application whose keys this browser keeps:
/// «Ключи в этом браузере», the password twice, «Загрузить сертификаты»; waits for the
/// two downloads and «Сертификаты установлены».
pub async fn install_in_browser(browser: &Browser, password: &str) -> WebDriverResult<KeyStores> {
    browser.click("install-in-browser").await?;
    browser.type_into("install-password", password).await?;
    browser
        .type_into("install-password-again", password)
        .await?;
    browser.click_when_enabled("Загрузить сертификаты").await?;
    let files = browser.downloaded(2, INSTALL_WAIT).await;
    browser
        .wait_long_for_text_containing("#install-done", "Сертификаты установлены", INSTALL_WAIT)
        .await?;
    Ok(KeyStores::from_files(&files))
}

/// The first head of the demo organisation (`person`) from the landing page to his two
/// key stores, downloaded into `browser`'s download folder and protected by
/// `password`. The browser's camera must play the liveness video and the server's
/// challenge be `VIDEO_ORDER`.
pub async fn issued_key_stores(
    browser: &Browser,
    server: &TestServer,
    person: &Person,
    password: &str,
) -> WebDriverResult<KeyStores> {
    mobile_citizens(browser, server, person, "Первый руководитель").await?;
    digital_id_consent(browser, server, person).await?;
    accept_agreement(browser).await?;
    fill_the_form(browser, person).await?;
    let number = submit_application(browser).await?;
    browser
        .wait_for_text_containing("#submitted-issued", "Сертификаты уже выпущены")
        .await?;
    browser.click("submitted-status").await?;
    assert_eq!(browser.path().await?, format!("/status/{number}"));
    browser
        .wait_for_text("#status-current", STATUS_ISSUED)
        .await?;
    install_in_browser(browser, password).await
}

/// The demo employee applies by «Сотрудник организации» in `browser` (its storage kept:
/// the keys stay there for the installation). The phone check, the Digital ID sign-in
/// and the face check are made for her on the server (each has its own tests); the PIN,
/// the document by file, the consent, the agreement and the form are hers. Returns the
/// number, at the status page saying the application awaits the first head.
pub async fn employee_applies(browser: &Browser, server: &TestServer) -> WebDriverResult<String> {
    let employee = Person::EMPLOYEE;
    seed_employee(browser, server, Start::FaceChecked, "/digital-id/pin").await?;
    set_pin(browser).await?;
    document_by_file(browser, &employee).await?;
    consent(browser, &employee).await?;
    accept_agreement(browser).await?;
    fill_the_form(browser, &employee).await?;
    let number = submit_application(browser).await?;
    browser
        .wait_for_text_containing("section.step", "Обратиться к первому руководителю")
        .await?;
    browser.click("submitted-status").await?;
    assert_eq!(browser.path().await?, format!("/status/{number}"));
    browser
        .wait_for_text("#status-current", STATUS_AWAITING_HEAD)
        .await?;
    browser.wait_for_text("#status-iin", employee.iin).await?;
    Ok(number)
}

/// The statuses as the status page words them (`locales/ru.json`, `status.*`).
pub const STATUS_AWAITING_HEAD: &str = "Ожидание подтверждения первого руководителя";
pub const STATUS_REJECTED: &str = "Заявка отклонена первым руководителем";
pub const STATUS_ISSUED: &str = "Выпущенные регистрационные свидетельства (сертификаты) по заявке";
pub const STATUS_INSTALLED: &str = "Сертификаты установлены";

/// The texts of «Таблица статусов заявки»'s rows.
pub async fn status_rows(browser: &Browser) -> WebDriverResult<Vec<String>> {
    let mut rows = Vec::new();
    for row in browser
        .driver
        .find_all(By::Css("#status-table tbody tr"))
        .await?
    {
        rows.push(row.text().await?);
    }
    Ok(rows)
}

/// A key file picker (ids `<prefix>-file`, `-password`, `-open`): the file, its
/// password, then the button.
pub async fn open_key_file(
    browser: &Browser,
    prefix: &str,
    file: &Path,
    password: &str,
) -> WebDriverResult<()> {
    browser
        .driver
        .query(By::Id(format!("{prefix}-file")))
        .wait(crate::browser::WAIT, Duration::from_millis(100))
        .first()
        .await?
        .send_keys(file.display().to_string())
        .await?;
    browser
        .type_into(&format!("{prefix}-password"), password)
        .await?;
    browser.click(&format!("{prefix}-open")).await
}

/// «Личный кабинет» of `holder`: signed in with the authentication key store (unless
/// this browser's session is still open), then the signing key opened for decisions.
pub async fn open_cabinet(
    browser: &Browser,
    server: &TestServer,
    holder: &Person,
    keys: &KeyStores,
    password: &str,
) -> WebDriverResult<()> {
    browser.open(&server.url("/cabinet")).await?;
    let shown = browser
        .driver
        .query(By::Css("#cabinet-profile"))
        .or(By::Css("#cabinet-file"))
        .wait(crate::browser::WAIT, Duration::from_millis(100))
        .first()
        .await?;
    if shown.attr("id").await?.as_deref() == Some("cabinet-file") {
        browser.wait_for_text("#cabinet-open", "Войти").await?;
        open_key_file(browser, "cabinet", &keys.authentication, password).await?;
    }
    browser
        .wait_for_text("#step-title", "Личный кабинет")
        .await?;
    let profile = browser
        .wait_for_text_containing("#cabinet-profile", holder.iin)
        .await?;
    assert!(
        profile.contains(ORG),
        "the profile shows the BIN: {profile:?}"
    );
    browser
        .wait_for_text("#signing-open", "Открыть ключ")
        .await?;
    open_key_file(browser, "signing", &keys.signing, password).await?;
    // The certificate's owner: its common name, which is upper-cased.
    let surname = holder.surname.to_lowercase();
    browser
        .wait_for_text_matching(
            "#signing-ready",
            |seen| seen.to_lowercase().contains(&surname),
            holder.surname,
        )
        .await
        .map(drop)
}

/// The first head's answer to an application.
pub enum Decision<'a> {
    Confirm,
    Reject { reason: &'a str },
}

/// In the cabinet with the signing key open: decides on the pending application
/// `number`, and waits for «done» naming it.
pub async fn decide(
    browser: &Browser,
    number: &str,
    decision: Decision<'_>,
) -> WebDriverResult<()> {
    let item = format!("ul#pending li.pending-application[data-number=\"{number}\"]");
    let button = match decision {
        Decision::Confirm => "button.confirm",
        Decision::Reject { reason } => {
            let text = browser
                .driver
                .query(By::Css(format!("{item} textarea.reject-reason")))
                .wait(crate::browser::WAIT, Duration::from_millis(100))
                .first()
                .await?;
            text.clear().await?;
            text.send_keys(reason).await?;
            "button.reject"
        }
    };
    browser
        .driver
        .query(By::Css(format!("{item} {button}")))
        .wait(crate::browser::WAIT, Duration::from_millis(100))
        .and_displayed()
        .and_enabled()
        .first()
        .await?
        .click()
        .await?;
    browser
        .wait_long_for_text_containing("#decision-done", number, INSTALL_WAIT)
        .await
        .map(drop)
}

/// The server's CA as files: `/pki/ca.pem` holds the issuing CA, then the root.
pub struct Chain {
    pub root: PathBuf,
    pub issuing: PathBuf,
}

impl Chain {
    pub async fn fetch(server: &TestServer, folder: &Path) -> Self {
        let pem = reqwest::get(server.url("/pki/ca.pem"))
            .await
            .expect("the chain is served")
            .text()
            .await
            .expect("the chain is text");
        const END: &str = "-----END CERTIFICATE-----";
        let certificates: Vec<String> = pem
            .split_inclusive(END)
            .filter(|part| part.contains(END))
            .map(|part| format!("{}\n", part.trim()))
            .collect();
        assert_eq!(certificates.len(), 2, "{pem}");
        let chain = Self {
            issuing: folder.join("issuing.pem"),
            root: folder.join("root.pem"),
        };
        std::fs::write(&chain.issuing, &certificates[0]).unwrap();
        std::fs::write(&chain.root, &certificates[1]).unwrap();
        chain
    }
}

/// A private key from a key store, in the encodings it could travel in.
pub struct KeyMaterial {
    /// The 32-byte P-256 scalar.
    pub scalar: Vec<u8>,
    /// PKCS#8 DER.
    pub pkcs8: Vec<u8>,
    /// SEC1 DER (`ECPrivateKey`, what PKCS#8 wraps).
    pub sec1: Vec<u8>,
}

/// Opens `file` with `password` (and fails to with a wrong one), checks its key is its
/// certificate's, that the certificate chains to the server's CA for `purpose`
/// (`sslclient`, `smimesign`), carries `holder`'s IIN and e-mail, and that the file is
/// named by its key identifier; returns the key.
pub fn check_key_store(
    file: &Path,
    password: &str,
    purpose: &str,
    chain: &Chain,
    holder: &Person,
    work: &Path,
) -> KeyMaterial {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let input = file.to_str().unwrap();
    let right = format!("pass:{password}");
    let stem = name.trim_end_matches(".p12");
    let key = work.join(format!("{stem}.key.pem"));
    let certificate = work.join(format!("{stem}.crt.pem"));

    // No `-legacy`: PBES2 and an HMAC-SHA256 MAC are OpenSSL 3's defaults.
    openssl(&["pkcs12", "-in", input, "-nodes", "-passin", &right]);
    let wrong = run_openssl(&["pkcs12", "-in", input, "-nodes", "-passin", "pass:wrong1"]);
    assert!(
        !wrong.status.success(),
        "{name} opened with a wrong password"
    );
    openssl(&[
        "pkcs12",
        "-in",
        input,
        "-nocerts",
        "-nodes",
        "-passin",
        &right,
        "-out",
        key.to_str().unwrap(),
    ]);
    openssl(&[
        "pkcs12",
        "-in",
        input,
        "-clcerts",
        "-nokeys",
        "-passin",
        &right,
        "-out",
        certificate.to_str().unwrap(),
    ]);
    let authorities = openssl(&[
        "pkcs12", "-in", input, "-cacerts", "-nokeys", "-passin", &right,
    ]);
    assert_eq!(
        String::from_utf8_lossy(&authorities.stdout)
            .matches("BEGIN CERTIFICATE")
            .count(),
        2,
        "{name} carries the issuing CA and the root"
    );

    let key_public = openssl(&["pkey", "-in", key.to_str().unwrap(), "-pubout"]).stdout;
    let certificate_public = openssl(&[
        "x509",
        "-in",
        certificate.to_str().unwrap(),
        "-pubkey",
        "-noout",
    ])
    .stdout;
    assert_eq!(
        String::from_utf8_lossy(&key_public),
        String::from_utf8_lossy(&certificate_public),
        "{name}: the key is the certificate's"
    );
    let verified = openssl(&[
        "verify",
        "-CAfile",
        chain.root.to_str().unwrap(),
        "-untrusted",
        chain.issuing.to_str().unwrap(),
        "-purpose",
        purpose,
        certificate.to_str().unwrap(),
    ]);
    assert!(
        String::from_utf8_lossy(&verified.stdout).ends_with(": OK\n"),
        "{name}: {verified:?}"
    );
    let ski = openssl(&[
        "x509",
        "-in",
        certificate.to_str().unwrap(),
        "-noout",
        "-ext",
        "subjectKeyIdentifier",
    ]);
    let ski: String = String::from_utf8_lossy(&ski.stdout)
        .lines()
        .nth(1)
        .expect("the certificate has a key identifier")
        .trim()
        .replace(':', "");
    assert!(
        name.ends_with(&format!("_{ski}.p12")),
        "{name} is not named {ski}"
    );
    let subject = openssl(&[
        "x509",
        "-in",
        certificate.to_str().unwrap(),
        "-noout",
        "-subject",
        "-nameopt",
        "RFC2253",
    ]);
    let subject = String::from_utf8_lossy(&subject.stdout);
    assert!(
        subject.contains(&format!("IIN{}", holder.iin)) && subject.contains(holder.email),
        "{name}: {subject}"
    );

    let key = key.to_str().unwrap();
    let pkcs8 = openssl(&["pkcs8", "-topk8", "-nocrypt", "-in", key, "-outform", "DER"]).stdout;
    // OpenSSL 3 writes an EC key's DER as SEC1.
    let sec1 = openssl(&["pkey", "-in", key, "-outform", "DER"]).stdout;
    // ECPrivateKey: version 1, then the 32-byte scalar.
    let at = sec1
        .windows(5)
        .position(|w| w == [0x02, 0x01, 0x01, 0x04, 0x20])
        .expect("a P-256 private key");
    assert!(
        contains(&pkcs8, &sec1[at..at + 37]),
        "{name}: PKCS#8 wraps it"
    );
    KeyMaterial {
        scalar: sec1[at + 5..at + 37].to_vec(),
        pkcs8,
        sec1,
    }
}

/// Both key stores of an installation checked with `check_key_store`, each for its
/// purpose: the authentication key as a TLS client's, the signing key as S/MIME's.
pub async fn check_key_stores(
    server: &TestServer,
    keys: &KeyStores,
    password: &str,
    holder: &Person,
) -> Vec<KeyMaterial> {
    let work = tempfile::tempdir().unwrap();
    let chain = Chain::fetch(server, work.path()).await;
    [
        (&keys.authentication, "sslclient"),
        (&keys.signing, "smimesign"),
    ]
    .into_iter()
    .map(|(file, purpose)| check_key_store(file, password, purpose, &chain, holder, work.path()))
    .collect()
}

pub fn run_openssl(args: &[&str]) -> Output {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs (make test installs it)")
}

/// Runs openssl and fails with its message if it fails.
pub fn openssl(args: &[&str]) -> Output {
    let output = run_openssl(args);
    assert!(
        output.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The demo operator signs in at `/operator` (the page then goes to the cases' queue).
pub async fn operator_signs_in(browser: &Browser, server: &TestServer) -> WebDriverResult<()> {
    browser.open(&server.url("/operator")).await?;
    browser.type_into("operator-login", "operator").await?;
    browser
        .type_into("operator-password", "demo-operator-2026")
        .await?;
    browser.click("operator-sign-in").await
}
