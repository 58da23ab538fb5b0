//! Issue #6 in a real browser: a first head goes from the landing page to two
//! installed PKCS#12 files. OpenSSL 3 opens them without `-legacy` with the password
//! and refuses a wrong one; each key matches its certificate, which chains to the
//! server's CA for its purpose; and no request the browser sent during the whole run
//! carried private key material (as Chromium's own network log saw them).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use qoltanba_e2e::walk::{
    document_by_file, face_check, grant_access, open_the_form, registered, request_code, set_pin,
    sign_in, to_digital_id, value_of, Person,
};
use qoltanba_e2e::{videos, Browser, Camera, Options, SentRequest, TestServer, ORG, VIDEO_ORDER};
use thirtyfour::prelude::*;

const HEAD: Person = Person::HEAD;
const PASSWORD: &str = "Qoltanba2026";
/// Key stores are written in the page (PBKDF2 in wasm) before they are downloaded.
const INSTALL_WAIT: Duration = Duration::from_secs(60);

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
    open_the_form(&browser, &server).await?;
    request_code(&browser, "Первый руководитель", ORG, HEAD.iin).await?;
    registered(&browser, &server, &HEAD).await?;
    sent.extend(browser.sent_requests().await?);

    // Steps 8–21: Digital ID, the document by file, the consent.
    to_digital_id(&browser).await?;
    sign_in(&browser, &server, HEAD.phone).await?;
    face_check(&browser).await?;
    set_pin(&browser).await?;
    document_by_file(&browser, &HEAD).await?;
    browser.click("to-consent").await?;
    browser.click_when_enabled("Продолжить").await?;
    grant_access(&browser, &HEAD).await?;
    sent.extend(browser.sent_requests().await?);

    // Step 22: the user agreement.
    browser.click("to-agreement").await?;
    browser
        .wait_for_text_containing("h1", "Пользовательское соглашение")
        .await?;
    assert_eq!(browser.path().await?, "/apply/agreement");
    browser.click("agreement-accept").await?;

    // Steps 23–25: «Данные онлайн заявки», read-only, and the e-mail checked as typed.
    browser
        .wait_for_text("h1", "Подача онлайн заявки (генерация ключевой пары)")
        .await?;
    assert_eq!(browser.path().await?, "/apply/form");
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
    browser
        .type_into("form-email", "seitkali@qoltanba.kz")
        .await?;
    browser.wait_for_text("#form-email-error", "").await?;
    browser
        .wait_for_text_containing("#form-place", "Ключи будут храниться в этом браузере")
        .await?;
    // The keys are made when the application is submitted: from here on every request's
    // body must be one Chromium shows.
    sent.extend(browser.sent_requests().await?);
    let keys_made_at = sent.len();
    browser.click("form-submit").await?;

    // Step 26: the number; a first head's certificates are issued at once.
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
    browser
        .wait_for_text_containing("#submitted-issued", "Сертификаты уже выпущены")
        .await?;
    browser.click("submitted-status").await?;

    // Step 27: the status, unmasked in this browser, and the installation.
    assert_eq!(browser.path().await?, format!("/status/{number}"));
    browser
        .wait_for_text(
            "#status-current",
            "Выпущенные регистрационные свидетельства (сертификаты) по заявке",
        )
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
    browser
        .type_into("install-password-again", PASSWORD)
        .await?;
    browser.click_when_enabled("Загрузить сертификаты").await?;

    let files = browser.downloaded(2, INSTALL_WAIT).await;
    browser
        .wait_long_for_text_containing("#install-done", "Сертификаты установлены", INSTALL_WAIT)
        .await?;
    // The page takes the server's answer to the proof: the status changed there.
    browser
        .wait_for_text("#status-current", "Сертификаты установлены")
        .await?;
    let rows_after = status_rows(&browser).await?;
    assert_eq!(rows_after.len(), rows_before.len() + 1, "{rows_after:?}");
    assert!(rows_after
        .last()
        .is_some_and(|row| row.contains("Сертификаты установлены")));
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
        .wait_for_text("#status-current", "Сертификаты установлены")
        .await?;
    stranger
        .wait_for_text("#status-iin", "8501******38")
        .await?;
    assert!(stranger.driver.find(By::Id("install")).await.is_err());
    stranger.quit().await?;
    browser.quit().await?;

    // The key stores, as OpenSSL 3 sees them.
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let work = tempfile::tempdir().unwrap();
    let chain = Chain::fetch(&server, work.path()).await;
    let mut keys = Vec::new();
    for (prefix, purpose) in [("AUTH_ECDSA256_", "sslclient"), ("ECDSA256_", "smimesign")] {
        let file = files
            .iter()
            .find(|f| {
                f.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.ends_with(".p12"))
            })
            .unwrap_or_else(|| panic!("no {prefix}<SKI>.p12 in {names:?}"));
        keys.push(check_key_store(file, purpose, &chain, work.path()));
    }

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
            for form in key.forms() {
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

/// The texts of «Таблица статусов заявки»'s rows.
async fn status_rows(browser: &Browser) -> WebDriverResult<Vec<String>> {
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

/// The password rules shown as `kept` or `broken` (their whole text, hidden part too).
async fn rules(browser: &Browser, class: &str) -> WebDriverResult<Vec<String>> {
    let texts = browser
        .driver
        .execute(
            "return [...document.querySelectorAll(`#install-rules li.${arguments[0]}`)]
                 .map(li => li.textContent);",
            vec![serde_json::json!(class)],
        )
        .await?;
    texts.convert()
}

/// The server's CA: `/pki/ca.pem` holds the issuing CA, then the root.
struct Chain {
    root: PathBuf,
    issuing: PathBuf,
}

impl Chain {
    async fn fetch(server: &TestServer, folder: &Path) -> Self {
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

/// A private key from a key store, in the forms looked for in the requests.
struct KeyMaterial {
    /// The 32-byte P-256 scalar.
    scalar: Vec<u8>,
    /// PKCS#8 DER.
    pkcs8: Vec<u8>,
    /// SEC1 DER (`ECPrivateKey`, what PKCS#8 wraps).
    sec1: Vec<u8>,
}

impl KeyMaterial {
    /// Hex both ways, and base64 (standard, and URL-safe as in a JWK) of each encoding.
    fn forms(&self) -> Vec<String> {
        let hex: String = self.scalar.iter().map(|b| format!("{b:02x}")).collect();
        let mut forms = vec![hex.to_uppercase(), hex];
        for bytes in [&self.scalar, &self.pkcs8, &self.sec1] {
            forms.push(STANDARD.encode(bytes));
            forms.push(URL_SAFE_NO_PAD.encode(bytes));
        }
        forms
    }
}

/// Opens `file` with the password (and fails to with a wrong one), checks its key is
/// its certificate's, that the certificate chains to the server's CA for `purpose`,
/// that the file is named by its key identifier; returns the key.
fn check_key_store(file: &Path, purpose: &str, chain: &Chain, work: &Path) -> KeyMaterial {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let input = file.to_str().unwrap();
    let right = format!("pass:{PASSWORD}");
    let stem = name.trim_end_matches(".p12");
    let key = work.join(format!("{stem}.key.pem"));
    let certificate = work.join(format!("{stem}.crt.pem"));

    // No `-legacy`: PBES2 and an HMAC-SHA256 MAC are OpenSSL 3's defaults.
    openssl(&["pkcs12", "-in", input, "-nodes", "-passin", &right]);
    let wrong = run(&["pkcs12", "-in", input, "-nodes", "-passin", "pass:wrong1"]);
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
        subject.contains(&format!("IIN{}", HEAD.iin)) && subject.contains("seitkali@qoltanba.kz"),
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

fn run(args: &[&str]) -> Output {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs (make test installs it)")
}

/// Runs openssl and fails with its message if it fails.
fn openssl(args: &[&str]) -> Output {
    let output = run(args);
    assert!(
        output.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
