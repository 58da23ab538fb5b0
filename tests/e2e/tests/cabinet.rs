//! Issue #7 in real browsers: the first head decides on his employee's applications
//! in «Личный кабинет», signed in with the `.p12` files this same test had him install.
//!
//! Both of the issue's runs are one test. An application takes one Digital ID consent,
//! and of the demo organisation's employees only Ахметова is a plain one who passes on
//! her own (the others have signing rights, no registered phone, or another face), so
//! the head first rejects her application (she reads the reason on its status page), then she
//! applies again with a new consent from the same browser, the head confirms that one,
//! and she installs its certificates. The head's whole way to his key stores (about
//! 26 s of the test's 40, the liveness video included) is walked once instead of twice.
//!
//! Then «Проверка ключа ЭЦП» and «Отзыв ключа ЭЦП» with the same files: she checks her
//! key store, its certificate alone and a file that is neither; the head revokes her
//! certificates in the cabinet and her check says so with the reason; he revokes his
//! own at /revoke, and his authentication key no longer signs in.
//!
//! Her earlier steps (the mobile-citizens check, the Digital ID sign-in, the face
//! check) are made for her on the server: `applicant_start.rs`, `digital_id.rs` and
//! `face.rs` walk them in the browser. The head and the employee have browsers of their
//! own, so neither sees the other's storage.

use std::path::Path;
use std::time::{Duration, Instant};

use qoltanba_e2e::browser::WAIT;
use qoltanba_e2e::walk::{
    check_key_stores, decide, employee_applies, install_in_browser, issued_key_stores,
    open_cabinet, open_key_file, openssl, status_rows, Decision, Person, STATUS_INSTALLED,
    STATUS_ISSUED, STATUS_REJECTED,
};
use qoltanba_e2e::{videos, Browser, Camera, Options, TestServer, ORG, VIDEO_ORDER};
use thirtyfour::prelude::*;

const HEAD: Person = Person::HEAD;
const EMPLOYEE: Person = Person::EMPLOYEE;
const HEAD_PASSWORD: &str = "Qoltanba2026";
const EMPLOYEE_PASSWORD: &str = "Aigerim-2026";
const REASON: &str = "Укажите рабочий адрес электронной почты";
/// `locales/ru.json`: `key_file.password_or_file`, `errors.certificate_purpose`,
/// `cabinet.trail_verified`.
const WRONG_PASSWORD: &str = "Неверный пароль, или файл не является ключом ЭЦП.";
const NOT_FOR_SIGN_IN: &str = "Этот ключ не подходит: для входа нужен ключ аутентификации (AUTH_…), для решений — ключ для подписи.";
const TRAIL_VERIFIED: &str = "Цепочка записей журнала проверена: изменений нет.";
/// `key_check.*`, `template.employee`, `revocation.*`, `errors.certificate_revoked`.
const VALID: &str = "Действителен";
const REVOKED: &str = "Отозван";
const EMPLOYEE_ROLE: &str = "Сотрудник организации";
const AUTHENTICATION: &str = "Аутентификация";
const NOT_CERTIFICATE: &str = "Файл не является ни ключом ЭЦП, ни сертификатом.";
const AFFILIATION_CHANGED: &str = "Смена места работы или должности";
const REVOCATION_DONE: &str = "Сертификаты отозваны. Список отозванных сертификатов уже обновлён.";
const CERTIFICATE_REVOKED: &str = "Сертификат отозван.";

#[tokio::test(flavor = "multi_thread")]
async fn the_head_rejects_an_application_confirms_the_next_and_the_employee_installs(
) -> WebDriverResult<()> {
    let started = Instant::now();
    let lap = |what: &str| eprintln!("[cabinet] {what}: {:.0?}", started.elapsed());
    let server = TestServer::with_challenge(&VIDEO_ORDER, 60).await;
    let head_downloads = tempfile::tempdir().unwrap();
    let employee_downloads = tempfile::tempdir().unwrap();

    // The head: from the landing page to his two key stores.
    let head = Browser::start_with(
        Camera::Video(videos().liveness_sequence),
        Options::downloads_into(head_downloads.path()),
    )
    .await?;
    let head_keys = issued_key_stores(&head, &server, &HEAD, HEAD_PASSWORD).await?;
    lap("the head's key stores");

    // The employee applies in her own browser: the application awaits the head.
    let employee = Browser::start_with(
        Camera::None,
        Options::downloads_into(employee_downloads.path()),
    )
    .await?;
    let first = employee_applies(&employee, &server).await?;
    lap("the employee's first application");

    // The cabinet refuses a wrong password in the page, and the signing key at the
    // server: signing in takes the authentication key.
    head.open(&server.url("/cabinet")).await?;
    open_key_file(&head, "cabinet", &head_keys.authentication, "Wrong-2026").await?;
    head.wait_for_text("#cabinet-error", WRONG_PASSWORD).await?;
    open_key_file(&head, "cabinet", &head_keys.signing, HEAD_PASSWORD).await?;
    sign_in_refused(&head, NOT_FOR_SIGN_IN).await?;

    // The head signs in with his authentication key, opens his signing key, and
    // rejects it with a reason. His own application is not his to decide.
    open_cabinet(&head, &server, &HEAD, &head_keys, HEAD_PASSWORD).await?;
    let pending = pending_numbers(&head).await?;
    assert_eq!(pending, vec![first.as_str()], "the pending list");
    let item = head
        .driver
        .find(By::Css("li.pending-application"))
        .await?
        .text()
        .await?;
    assert!(
        item.contains(&EMPLOYEE.full_name()) && item.contains(EMPLOYEE.iin),
        "{item}"
    );
    decide(&head, &first, Decision::Reject { reason: REASON }).await?;
    head.wait_for_text("#decision-done", &format!("Заявка {first} отклонена."))
        .await?;
    displayed(&head, "#pending-empty").await?;
    trail_row(&head, "rejected", &first).await?;
    lap("rejected in the cabinet");

    // The employee reads the rejection and its reason; there is nothing to install.
    assert!(server.last_sms(EMPLOYEE.phone).await.contains(&first));
    employee
        .open(&server.url(&format!("/status/{first}")))
        .await?;
    employee
        .wait_for_text("#status-current", STATUS_REJECTED)
        .await?;
    let rows = status_rows(&employee).await?;
    assert!(
        rows.last()
            .is_some_and(|row| row.contains(&format!("{STATUS_REJECTED}: {REASON}"))),
        "{rows:?}"
    );
    assert!(employee.driver.find(By::Id("install")).await.is_err());

    // She applies again with a new consent, from the same browser (minutes later in
    // life: the codes' resend interval is moved past).
    server.allow_resend(EMPLOYEE.iin).await;
    let second = employee_applies(&employee, &server).await?;
    assert_ne!(first, second);
    lap("the employee's second application");

    // The head, back in his cabinet, confirms this one: its certificates are issued.
    open_cabinet(&head, &server, &HEAD, &head_keys, HEAD_PASSWORD).await?;
    assert_eq!(pending_numbers(&head).await?, vec![second.as_str()]);
    decide(&head, &second, Decision::Confirm).await?;
    head.wait_for_text(
        "#decision-done",
        &format!("Заявка {second} подтверждена, сертификаты выпущены."),
    )
    .await?;
    displayed(&head, "#pending-empty").await?;
    trail_row(&head, "issued", &second).await?;
    head.wait_for_text("#trail-verified", TRAIL_VERIFIED)
        .await?;
    lap("confirmed in the cabinet");

    // The employee installs in the browser that made the keys.
    assert!(server.last_sms(EMPLOYEE.phone).await.contains(&second));
    employee
        .open(&server.url(&format!("/status/{second}")))
        .await?;
    employee
        .wait_for_text("#status-current", STATUS_ISSUED)
        .await?;
    let employee_keys = install_in_browser(&employee, EMPLOYEE_PASSWORD).await?;
    employee
        .wait_for_text("#status-current", STATUS_INSTALLED)
        .await?;
    lap("installed by the employee");

    // «Проверка ключа ЭЦП»: her authentication key store opened in the page, then its
    // certificate alone, then a file that is neither.
    let work = tempfile::tempdir().unwrap();
    let exported = work.path().join("exported.pem");
    openssl(&[
        "pkcs12",
        "-in",
        employee_keys.authentication.to_str().unwrap(),
        "-nokeys",
        "-clcerts",
        "-passin",
        &format!("pass:{EMPLOYEE_PASSWORD}"),
        "-out",
        exported.to_str().unwrap(),
    ]);
    // The export as `pkcs12` writes it («Bag Attributes» before the PEM), a clean PEM
    // and DER.
    let certificate = work.path().join("cert.pem");
    let der = work.path().join("cert.cer");
    for (file, form) in [(&certificate, "PEM"), (&der, "DER")] {
        openssl(&[
            "x509",
            "-in",
            exported.to_str().unwrap(),
            "-outform",
            form,
            "-out",
            file.to_str().unwrap(),
        ]);
    }
    let owner = subject_field(&certificate, "commonName");
    assert_eq!(
        owner,
        format!("{} {}", EMPLOYEE.surname, EMPLOYEE.name).to_uppercase()
    );
    let checked = check_key(
        &employee,
        &server,
        &employee_keys.authentication,
        Some(EMPLOYEE_PASSWORD),
    )
    .await?;
    assert_eq!(checked.field("standing"), VALID, "{checked:?}");
    assert_eq!(checked.field("owner"), owner, "{checked:?}");
    assert_eq!(checked.field("iin"), EMPLOYEE.iin, "{checked:?}");
    assert_eq!(
        checked.field("organisation"),
        subject_field(&certificate, "organizationName"),
        "{checked:?}"
    );
    assert_eq!(checked.field("bin"), ORG, "{checked:?}");
    assert_eq!(checked.field("role"), EMPLOYEE_ROLE, "{checked:?}");
    assert_eq!(checked.field("purpose"), AUTHENTICATION, "{checked:?}");
    assert!(
        checked.field("key-usage").contains("digitalSignature"),
        "{checked:?}"
    );
    assert_eq!(checked.chain.len(), 3, "{checked:?}");
    let serial = checked.field("serial").to_owned();
    for file in [&exported, &certificate, &der] {
        let from_file = check_key(&employee, &server, file, None).await?;
        assert_eq!(from_file.field("owner"), owner, "{from_file:?}");
        assert_eq!(from_file.field("serial"), serial, "{from_file:?}");
        assert_eq!(from_file.field("standing"), VALID, "{from_file:?}");
    }
    let garbage = work.path().join("x.cer");
    std::fs::write(&garbage, b"neither a key store nor a certificate").unwrap();
    choose_file_to_check(&employee, &server, &garbage, None).await?;
    employee
        .wait_for_text("#check-error", NOT_CERTIFICATE)
        .await?;
    lap("key checks");

    // The head revokes her certificates in his cabinet: both rows go.
    open_cabinet(&head, &server, &HEAD, &head_keys, HEAD_PASSWORD).await?;
    let rows = certificate_rows(&head, &EMPLOYEE.full_name(), |rows| rows.len() == 2).await?;
    assert!(rows.iter().any(|(s, _)| *s == serial), "{rows:?}");
    assert!(
        rows.iter().all(|(_, text)| text.contains(VALID)),
        "{rows:?}"
    );
    choose_option(&head, "cabinet-revoke-application", &second).await?;
    choose_option(&head, "cabinet-revoke-reason", "affiliation_changed").await?;
    click_enabled(&head, "cabinet-revoke-submit").await?;
    head.wait_for_text(
        "#cabinet-revoke-done",
        &format!("Сертификаты по заявке {second} отозваны."),
    )
    .await?;
    certificate_rows(&head, &EMPLOYEE.full_name(), |rows| {
        rows.len() == 2 && rows.iter().all(|(_, text)| text.contains(REVOKED))
    })
    .await?;
    // His own stay valid.
    certificate_rows(&head, &HEAD.full_name(), |rows| {
        rows.len() == 2 && rows.iter().all(|(_, text)| text.contains(VALID))
    })
    .await?;
    let revoked = check_key(
        &employee,
        &server,
        &employee_keys.authentication,
        Some(EMPLOYEE_PASSWORD),
    )
    .await?;
    let standing = revoked.field("standing");
    assert!(
        standing.starts_with(REVOKED) && standing.ends_with(&format!(": {AFFILIATION_CHANGED}")),
        "{revoked:?}"
    );
    lap("revoked in the cabinet");

    // «Отзыв ключа ЭЦП»: the head revokes his own with his signing key; his cabinet
    // session ends with them, and his authentication key no longer signs in.
    head.open(&server.url("/revoke")).await?;
    open_key_file(&head, "revoke", &head_keys.signing, HEAD_PASSWORD).await?;
    // The certificate's owner is its (upper-case) common name.
    head.wait_for_text_matching(
        "#revoke-certificate",
        |seen| seen.contains(&HEAD.surname.to_uppercase()),
        HEAD.surname,
    )
    .await?;
    choose_option(&head, "revoke-reason", "superseded").await?;
    click_enabled(&head, "revoke-submit").await?;
    head.wait_for_text("#revoke-done", REVOCATION_DONE).await?;
    head.open(&server.url("/cabinet")).await?;
    open_key_file(&head, "cabinet", &head_keys.authentication, HEAD_PASSWORD).await?;
    head.wait_for_text("#cabinet-sign-in-error", CERTIFICATE_REVOKED)
        .await?;
    lap("revoked by the head");
    head.quit().await?;
    employee.quit().await?;

    check_key_stores(&server, &employee_keys, EMPLOYEE_PASSWORD, &EMPLOYEE).await;
    for (number, expected) in [(&first, "rejected"), (&second, "revoked")] {
        let (stored,): (String,) =
            sqlx::query_as("SELECT status FROM applications WHERE number = ?")
                .bind(number)
                .fetch_one(&server.state.db)
                .await
                .expect("the application is stored");
        assert_eq!(stored, expected, "{number}");
    }
    let (stored,): (String,) = sqlx::query_as("SELECT status FROM applications WHERE iin = ?")
        .bind(HEAD.iin)
        .fetch_one(&server.state.db)
        .await
        .expect("the head's application is stored");
    assert_eq!(stored, "revoked", "the head's application");
    lap("done");
    Ok(())
}

/// Waits for the server's refusal of a sign-in. The contract puts it in
/// `#cabinet-error`; the page has it in `#cabinet-sign-in-error` (the picker's own
/// `#cabinet-error` tells only why a file did not open): either is accepted.
async fn sign_in_refused(browser: &Browser, message: &str) -> WebDriverResult<()> {
    browser
        .driver
        .query(By::XPath(format!(
            "//*[@id='cabinet-error' or @id='cabinet-sign-in-error'][normalize-space(.)='{message}']"
        )))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await
        .map(drop)
}

/// The numbers of the cabinet's pending list, once it has loaded.
async fn pending_numbers(browser: &Browser) -> WebDriverResult<Vec<String>> {
    browser
        .driver
        .query(By::Css("ul#pending li.pending-application"))
        .or(By::Css("#pending-empty"))
        .first()
        .await?;
    let mut numbers = Vec::new();
    for item in browser
        .driver
        .find_all(By::Css("ul#pending li.pending-application"))
        .await?
    {
        numbers.push(item.attr("data-number").await?.unwrap_or_default());
    }
    Ok(numbers)
}

async fn displayed(browser: &Browser, css: &str) -> WebDriverResult<()> {
    browser
        .driver
        .query(By::Css(css))
        .and_displayed()
        .first()
        .await
        .map(drop)
}

/// Waits for a row of the organisation's audit trail with this event about `number`.
async fn trail_row(browser: &Browser, event: &str, number: &str) -> WebDriverResult<()> {
    let rows = format!("table#organisation-trail tr[data-event=\"{event}\"]");
    let deadline = Instant::now() + WAIT;
    loop {
        let mut texts = Vec::new();
        for row in browser.driver.find_all(By::Css(&rows)).await? {
            texts.push(row.text().await.unwrap_or_default());
        }
        if texts.iter().any(|text| text.contains(number)) {
            return Ok(());
        }
        assert!(
            Instant::now() < deadline,
            "no {event} row about {number} in the trail: {texts:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What «Проверка ключа ЭЦП» showed: its fields by `data-field`, and the chain.
#[derive(Debug)]
struct Checked {
    fields: Vec<(String, String)>,
    chain: Vec<String>,
}

impl Checked {
    fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("no {name} in {self:?}"))
    }
}

/// At a fresh /key-check: chooses `file`, types its password when it is a key store,
/// and sends it.
async fn choose_file_to_check(
    browser: &Browser,
    server: &TestServer,
    file: &Path,
    password: Option<&str>,
) -> WebDriverResult<()> {
    browser.open(&server.url("/key-check")).await?;
    browser
        .driver
        .query(By::Id("check-file"))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?
        .send_keys(file.display().to_string())
        .await?;
    if let Some(password) = password {
        browser.type_into("check-password", password).await?;
    }
    click_enabled(browser, "check-submit").await
}

/// Checks `file` at /key-check and returns what the result said.
async fn check_key(
    browser: &Browser,
    server: &TestServer,
    file: &Path,
    password: Option<&str>,
) -> WebDriverResult<Checked> {
    choose_file_to_check(browser, server, file, password).await?;
    let deadline = Instant::now() + WAIT;
    loop {
        let standing = match browser
            .driver
            .find(By::Css("dl#check-result dd[data-field=standing]"))
            .await
        {
            Ok(dd) => dd.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if !standing.trim().is_empty() {
            break;
        }
        if Instant::now() > deadline {
            let page = browser
                .driver
                .find(By::Css("section.step"))
                .await?
                .inner_html()
                .await?;
            panic!("no result of the check of {}: {page}", file.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut fields = Vec::new();
    for dd in browser
        .driver
        .find_all(By::Css("dl#check-result dd[data-field]"))
        .await?
    {
        let name = dd.attr("data-field").await?.unwrap_or_default();
        fields.push((name, dd.text().await?.trim().to_owned()));
    }
    let mut chain = Vec::new();
    for li in browser
        .driver
        .find_all(By::Css("dl#check-result dd[data-field=chain] li"))
        .await?
    {
        chain.push(li.text().await?);
    }
    Ok(Checked { fields, chain })
}

/// An attribute of the certificate's subject as openssl reads it (`commonName`…).
fn subject_field(certificate: &Path, name: &str) -> String {
    let subject = openssl(&[
        "x509",
        "-in",
        certificate.to_str().unwrap(),
        "-noout",
        "-subject",
        "-nameopt",
        "multiline,utf8,-esc_msb",
    ]);
    let subject = String::from_utf8_lossy(&subject.stdout).into_owned();
    subject
        .lines()
        .find_map(|line| {
            let (field, value) = line.split_once('=')?;
            (field.trim() == name).then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no {name} in {subject}"))
}

/// The rows (serial, text) of the cabinet's certificates naming `full_name`, once
/// `accept` takes them.
async fn certificate_rows(
    browser: &Browser,
    full_name: &str,
    accept: impl Fn(&[(String, String)]) -> bool,
) -> WebDriverResult<Vec<(String, String)>> {
    let deadline = Instant::now() + WAIT;
    loop {
        let mut rows = Vec::new();
        for row in browser
            .driver
            .find_all(By::Css("table#cabinet-certificates tr[data-serial]"))
            .await?
        {
            let text = row.text().await.unwrap_or_default();
            if text.contains(full_name) {
                rows.push((row.attr("data-serial").await?.unwrap_or_default(), text));
            }
        }
        if accept(&rows) {
            return Ok(rows);
        }
        assert!(
            Instant::now() < deadline,
            "the certificates of {full_name}: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Chooses the option with this value in `select#id`, once it is there.
async fn choose_option(browser: &Browser, id: &str, value: &str) -> WebDriverResult<()> {
    browser
        .driver
        .query(By::Css(format!("select#{id} option[value=\"{value}\"]")))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?
        .click()
        .await
}

/// Waits until the element with this id can be clicked, and clicks it.
async fn click_enabled(browser: &Browser, id: &str) -> WebDriverResult<()> {
    browser
        .driver
        .query(By::Id(id))
        .wait(WAIT, Duration::from_millis(100))
        .and_displayed()
        .and_enabled()
        .first()
        .await?
        .click()
        .await
}
