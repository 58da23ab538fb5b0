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
//! Her earlier steps (the mobile-citizens check, the Digital ID sign-in, the face
//! check) are made for her on the server: `applicant_start.rs`, `digital_id.rs` and
//! `face.rs` walk them in the browser. The head and the employee have browsers of their
//! own, so neither sees the other's storage.

use std::time::{Duration, Instant};

use qoltanba_e2e::browser::WAIT;
use qoltanba_e2e::walk::{
    check_key_stores, decide, employee_applies, install_in_browser, issued_key_stores,
    open_cabinet, open_key_file, status_rows, Decision, Person, STATUS_INSTALLED, STATUS_ISSUED,
    STATUS_REJECTED,
};
use qoltanba_e2e::{videos, Browser, Camera, Options, TestServer, VIDEO_ORDER};
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
        Options {
            downloads: Some(head_downloads.path().to_owned()),
            ..Options::default()
        },
    )
    .await?;
    let head_keys = issued_key_stores(&head, &server, &HEAD, HEAD_PASSWORD).await?;
    lap("the head's key stores");

    // The employee applies in her own browser: the application awaits the head.
    let employee = Browser::start_with(
        Camera::None,
        Options {
            downloads: Some(employee_downloads.path().to_owned()),
            ..Options::default()
        },
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
    head.quit().await?;
    employee.quit().await?;

    check_key_stores(&server, &employee_keys, EMPLOYEE_PASSWORD, &EMPLOYEE).await;
    for (number, expected) in [(&first, "rejected"), (&second, "installed")] {
        let (stored,): (String,) =
            sqlx::query_as("SELECT status FROM applications WHERE number = ?")
                .bind(number)
                .fetch_one(&server.state.db)
                .await
                .expect("the application is stored");
        assert_eq!(stored, expected, "{number}");
    }
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
