//! Issue #6 in a real browser: a first head goes from the landing page to two
//! installed PKCS#12 files. OpenSSL 3 opens them without `-legacy` with the password
//! and refuses a wrong one; each key matches its certificate, which chains to the
//! server's CA for its purpose; and no request the browser sent during the whole run
//! carried private key material (as Chromium's own network log saw them).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use qoltanba_e2e::walk::{
    accept_agreement, check_key_stores, contains, digital_id_consent, fill_the_form,
    install_in_browser, mobile_citizens, status_rows, submit_application, value_of, KeyMaterial,
    Person, STATUS_INSTALLED, STATUS_ISSUED,
};
use qoltanba_e2e::{videos, Browser, Camera, Options, SentRequest, TestServer, ORG, VIDEO_ORDER};
use thirtyfour::prelude::*;

const HEAD: Person = Person::HEAD;
const PASSWORD: &str = "Qoltanba2026";

#[tokio::test(flavor = "multi_thread")]
async fn a_first_head_installs_key_stores_openssl_opens_and_no_key_left_the_browser(
) -> WebDriverResult<()> {
    let server = TestServer::with_challenge(&VIDEO_ORDER, 60).await;
    let downloads = tempfile::tempdir().unwrap();
    let browser = Browser::start_with(
        Camera::Video(videos().liveness_sequence),
        Options {
            downloads: Some(downloads.path().to_owned()),
            record_requests: true,
        },
    )
    .await?;
    // The performance log is drained as the run goes, so nothing waits long in it.
    let mut sent: Vec<SentRequest> = Vec::new();

    // Steps 1–7: the mobile-citizens check.
    mobile_citizens(&browser, &server, &HEAD, "Первый руководитель").await?;
    sent.extend(browser.sent_requests().await?);

    // Steps 8–21: Digital ID, the document by file, the consent.
    digital_id_consent(&browser, &server, &HEAD).await?;
    sent.extend(browser.sent_requests().await?);

    // Step 22: the user agreement.
    accept_agreement(&browser).await?;

    // Steps 23–25: «Данные онлайн заявки», read-only, and the e-mail checked as typed.
    for (id, expected) in [
        ("form-bin", ORG),
        ("form-iin", HEAD.iin),
        ("form-surname", HEAD.surname),
        ("form-name", HEAD.name),
    ] {
        assert_eq!(value_of(&browser, id).await?, expected, "{id}");
        let field = browser.driver.find(By::Id(id)).await?;
        assert!(field.attr("readonly").await?.is_some(), "{id} is read-only");
    }
    let submit = browser.driver.find(By::Id("form-submit")).await?;
    browser.type_into("form-email", "seitkali@qoltanba").await?;
    browser
        .wait_for_text("#form-email-error", "Введите адрес вида name@example.kz")
        .await?;
    browser.click("form-keep-in-browser").await?;
    assert!(
        !submit.is_enabled().await?,
        "a wrong e-mail blocks the submission"
    );
    fill_the_form(&browser, &HEAD).await?;
    browser.wait_for_text("#form-email-error", "").await?;
    // The keys are made when the application is submitted: from here on every request's
    // body must be one Chromium shows.
    sent.extend(browser.sent_requests().await?);
    let keys_made_at = sent.len();

    // Step 26: the number; a first head's certificates are issued at once.
    let number = submit_application(&browser).await?;
    browser
        .wait_for_text_containing("#submitted-issued", "Сертификаты уже выпущены")
        .await?;
    browser.click("submitted-status").await?;

    // Step 27: the status, unmasked in this browser, and the installation.
    assert_eq!(browser.path().await?, format!("/status/{number}"));
    browser
        .wait_for_text("#status-current", STATUS_ISSUED)
        .await?;
    browser.wait_for_text("#status-iin", HEAD.iin).await?;
    browser
        .wait_for_text("#status-name", &HEAD.full_name())
        .await?;
    let rows_before = status_rows(&browser).await?;
    assert!(!rows_before.is_empty());
    browser.click("install-in-browser").await?;
    browser.type_into("install-password", "abc").await?;
    let broken = rules(&browser, "broken").await?;
    assert!(
        broken.iter().any(|r| r.contains("не короче 6 символов"))
            && broken.iter().any(|r| r.contains("хотя бы одна цифра")),
        "{broken:?}"
    );
    assert!(rules(&browser, "kept")
        .await?
        .iter()
        .any(|r| r.contains("хотя бы одна латинская буква")),);
    let install = browser.driver.find(By::Id("install-submit")).await?;
    browser.type_into("install-password-again", "abc").await?;
    assert!(!install.is_enabled().await?, "a weak password blocks it");
    browser.type_into("install-password", PASSWORD).await?;
    assert!(rules(&browser, "broken").await?.is_empty());
    let key_stores = install_in_browser(&browser, PASSWORD).await?;
    // The page takes the server's answer to the proof: the status changed there.
    browser
        .wait_for_text("#status-current", STATUS_INSTALLED)
        .await?;
    let rows_after = status_rows(&browser).await?;
    assert_eq!(rows_after.len(), rows_before.len() + 1, "{rows_after:?}");
    assert!(rows_after
        .last()
        .is_some_and(|row| row.contains(STATUS_INSTALLED)));
    let (stored,): (String,) = sqlx::query_as("SELECT status FROM applications WHERE number = ?")
        .bind(&number)
        .fetch_one(&server.state.db)
        .await
        .expect("the application is stored");
    assert_eq!(stored, "installed");
    sent.extend(browser.sent_requests().await?);

    // A stranger's browser sees the status with the data masked, and nothing to install.
    let stranger = Browser::start(Camera::None).await?;
    stranger
        .open(&server.url(&format!("/status/{number}")))
        .await?;
    stranger
        .wait_for_text("#status-current", STATUS_INSTALLED)
        .await?;
    stranger
        .wait_for_text("#status-iin", "8501******38")
        .await?;
    assert!(stranger.driver.find(By::Id("install")).await.is_err());
    stranger.quit().await?;
    browser.quit().await?;

    // The key stores, as OpenSSL 3 sees them.
    let keys = check_key_stores(&server, &key_stores, PASSWORD, &HEAD).await;

    // No request carried the keys, in any of the forms they could travel in.
    assert!(
        sent.iter().any(|r| r.method == "POST"
            && r.url == server.url("/api/v1/applications")
            && r.body.contains("-----BEGIN CERTIFICATE REQUEST-----")),
        "the application's POST with its requests was recorded: {:?}",
        sent.iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
    assert!(sent
        .iter()
        .any(|r| r.method == "PUT" && r.url.ends_with("/installation")));
    // Chromium does not show the body of a file being uploaded: only the document's
    // photos, sent before the keys existed, may be such.
    let unseen: Vec<(usize, String)> = sent
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.body_seen)
        .map(|(at, r)| (at, format!("{} {}", r.method, r.url)))
        .collect();
    assert!(
        unseen
            .iter()
            .all(|(at, r)| *at < keys_made_at && r.contains("/api/v1/digital-id/document-photos/")),
        "bodies Chromium did not show: {unseen:?}"
    );
    for request in &sent {
        let text = request.text();
        assert!(
            !text.contains("PRIVATE KEY"),
            "{} {} carries a private key",
            request.method,
            request.url
        );
        for key in &keys {
            for form in forms(key) {
                assert!(
                    !text.contains(&form),
                    "{} {} carries a private key ({form})",
                    request.method,
                    request.url
                );
            }
            assert!(
                !contains(&request.body_bytes, &key.scalar),
                "{} {} carries a private key's bytes",
                request.method,
                request.url
            );
        }
    }
    Ok(())
}

/// The password rules shown as `kept` or `broken` (their whole text, hidden part too).
async fn rules(browser: &Browser, class: &str) -> WebDriverResult<Vec<String>> {
    let texts = browser
        .driver
        .execute(
            "return [...document.querySelectorAll(`#install-password-rules li.${arguments[0]}`)]
                 .map(li => li.textContent);",
            vec![serde_json::json!(class)],
        )
        .await?;
    texts.convert()
}

/// A key's forms looked for in the requests: hex both ways, and base64 (standard,
/// and URL-safe as in a JWK) of each encoding.
fn forms(key: &KeyMaterial) -> Vec<String> {
    let hex: String = key.scalar.iter().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![hex.to_uppercase(), hex];
    for bytes in [&key.scalar, &key.pkcs8, &key.sec1] {
        forms.push(STANDARD.encode(bytes));
        forms.push(URL_SAFE_NO_PAD.encode(bytes));
    }
    forms
}
