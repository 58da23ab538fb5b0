//! Applications through the API: the requests checked against the registries' DN
//! (signature, curve, subject, garbage, size), the first head's certificates issued at
//! once and checked with OpenSSL, the status masked for strangers, the installation
//! proof, and a replayed submission finding the first application.

use std::path::Path;
use std::process::Command;

use p256::elliptic_curve::Generate;
use qoltanba_domain::api::{ApplicationCreated, ApplicationView, AuditTrail, IssuedCertificates};
use qoltanba_domain::{ApplicationNumber, ApplicationStatus, Bin, Email, Iin, KeyPurpose};
use qoltanba_pki::proof::Statement;
use qoltanba_pki::{Holder, Organisation, SigningKey};
use qoltanba_server::audit::{self, Verdict};
use serde_json::{json, Value};
use x509_cert::builder::{Builder, RequestBuilder};

use crate::digital_id::consented;
use crate::phone_checks::{EMPLOYEE, HEAD, ORG};
use crate::{error_code, spawn_app, TestApp};

const ORG_NAME: &str = "ТОО «Qoltanba Demo»";

fn holder(iin: &str, surname: &str, name: &str, patronymic: &str) -> Holder {
    Holder {
        surname: surname.into(),
        name: name.into(),
        patronymic: Some(patronymic.into()),
        iin: Iin::parse(iin).unwrap(),
        organisation: Some(Organisation {
            name: ORG_NAME.into(),
            bin: Bin::parse(ORG).unwrap(),
        }),
        email: None,
    }
}

pub fn head() -> Holder {
    holder(HEAD, "Сейткали", "Ерлан", "Нурланович")
}

pub fn employee() -> Holder {
    holder(EMPLOYEE, "Ахметова", "Айгерим", "Болатовна")
}

fn csr(key: &SigningKey, holder: &Holder) -> String {
    qoltanba_pki::request::build(key, holder.distinguished_name().unwrap()).unwrap()
}

fn request_id() -> String {
    qoltanba_server::secret::random_id()
}

fn body(consent: &str, id: &str, auth: &str, sign: &str) -> Value {
    json!({
        "consent": consent, "request_id": id,
        "authentication_request": auth, "signing_request": sign,
    })
}

async fn post(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/applications"))
        .json(body)
        .send()
        .await
        .unwrap()
}

pub async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let request = app.client.get(app.url(path));
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
    .send()
    .await
    .unwrap()
}

async fn install(
    app: &TestApp,
    number: &ApplicationNumber,
    token: &str,
    signature: &str,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/v1/applications/{number}/installation")))
        .bearer_auth(token)
        .json(&json!({ "signature": signature }))
        .send()
        .await
        .unwrap()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// The chain and CRL as `/pki` serves them, written into `dir` as `issuing.pem`,
/// `root.pem` and `crl.pem` for `openssl_verify`; returns the chain.
pub async fn served_pki(app: &TestApp, dir: &Path) -> String {
    let chain = get(app, "/pki/ca.pem", None).await.text().await.unwrap();
    let second = chain[1..].find("-----BEGIN CERTIFICATE-----").unwrap() + 1;
    std::fs::write(dir.join("issuing.pem"), &chain[..second]).unwrap();
    std::fs::write(dir.join("root.pem"), &chain[second..]).unwrap();
    let crl = get(app, "/pki/issuing.crl", None).await;
    assert_eq!(crl.headers()["content-type"], "application/pkix-crl");
    let crl = der::pem::encode_string(
        "X509 CRL",
        der::pem::LineEnding::LF,
        &crl.bytes().await.unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("crl.pem"), crl).unwrap();
    chain
}

/// `openssl verify` of `leaf.pem` in `dir` with the root as the only anchor; what
/// OpenSSL said when it refused.
pub fn openssl_verify(dir: &Path, options: &[&str]) -> Result<(), String> {
    let output = Command::new("openssl")
        .arg("verify")
        .args(["-CAfile", "root.pem", "-untrusted", "issuing.pem"])
        .args(options)
        .arg("leaf.pem")
        .current_dir(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success() && text.contains("leaf.pem: OK"))
        .then_some(())
        .ok_or(text)
}

#[tokio::test]
async fn a_first_heads_certificates_are_issued_at_once_and_pass_openssl() {
    let app = spawn_app().await;
    let consent = consented(&app, "first_head", HEAD).await.consent;
    let (auth_key, sign_key) = (SigningKey::generate(), SigningKey::generate());
    let id = request_id();
    let submission = body(
        &consent,
        &id,
        &csr(&auth_key, &head()),
        &csr(&sign_key, &head()),
    );
    let response = post(&app, &submission).await;
    assert_eq!(response.status(), 201);
    let created: ApplicationCreated = response.json().await.unwrap();
    assert_eq!(created.status, ApplicationStatus::Issued);
    let number = created.number;

    // Sent again (a lost answer, a double click): the same application.
    let response = post(&app, &submission).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<ApplicationCreated>().await.unwrap().number,
        number
    );
    assert_eq!(count(&app, "applications").await, 1);

    // Strangers see the status with the personal data masked; the applicant sees it all.
    let path = format!("/api/v1/applications/{number}");
    let stranger: ApplicationView = get(&app, &path, None).await.json().await.unwrap();
    assert!(stranger.masked);
    assert_eq!(stranger.iin, "8501******38");
    assert_eq!(stranger.full_name, "С******* Е**** Н*********");
    let mine: ApplicationView = get(&app, &path, Some(&id)).await.json().await.unwrap();
    assert!(!mine.masked);
    assert_eq!(mine.full_name, "Сейткали Ерлан Нурланович");
    assert_eq!(mine.organisation.as_deref(), Some(ORG_NAME));
    let statuses: Vec<_> = mine.history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [ApplicationStatus::Identified, ApplicationStatus::Issued]
    );

    let certificates_path = format!("{path}/certificates");
    let (status, error) = error_code(get(&app, &certificates_path, None).await).await;
    assert_eq!((status, error.code.as_str()), (403, "not_applicant"));
    let issued: IssuedCertificates = get(&app, &certificates_path, Some(&id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(issued.certificates.len(), 2);

    // The chain as /pki serves it, and each certificate through OpenSSL.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(served_pki(&app, d).await, issued.chain);
    for certificate in &issued.certificates {
        std::fs::write(d.join("leaf.pem"), &certificate.certificate).unwrap();
        let (purpose, policy) = match certificate.purpose {
            KeyPurpose::Authentication => ("sslclient", "1.2.398.3.3.2.2"),
            KeyPurpose::Signing => ("smimesign", "1.2.398.3.3.2.1"),
        };
        openssl_verify(d, &["-purpose", purpose]).unwrap();
        openssl_verify(d, &["-policy", policy, "-explicit_policy"]).unwrap();
        openssl_verify(d, &["-policy", "1.2.398.3.3.4.1.2.1", "-explicit_policy"]).unwrap();
        openssl_verify(d, &["-crl_check", "-CRLfile", "crl.pem"]).unwrap();
        let text = Command::new("openssl")
            .args([
                "x509",
                "-noout",
                "-subject",
                "-nameopt",
                "utf8,sep_comma_plus",
                "-in",
                "leaf.pem",
            ])
            .current_dir(d)
            .output()
            .unwrap();
        let subject = String::from_utf8_lossy(&text.stdout).to_string();
        for part in [
            "CN=СЕЙТКАЛИ ЕРЛАН",
            "serialNumber=IIN850115301238",
            "OU=BIN150340001236",
            "O=ТОО «Qoltanba Demo»",
        ] {
            assert!(subject.contains(part), "{part} not in {subject}");
        }
    }
    let issuing = get(&app, "/pki/issuing.crt", None).await;
    assert_eq!(issuing.headers()["content-type"], "application/pkix-cert");

    // Installed once the number is signed with the new authentication key; another
    // key's signature, or the signing key's, does not do.
    let (status, error) = error_code(
        install(
            &app,
            &number,
            &id,
            &qoltanba_pki::proof::sign(&sign_key, Statement::Installed(&number)),
        )
        .await,
    )
    .await;
    assert_eq!((status, error.code.as_str()), (422, "bad_proof"));
    let (status, _) = error_code(
        install(
            &app,
            &number,
            &request_id(),
            &qoltanba_pki::proof::sign(&auth_key, Statement::Installed(&number)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    let proof = qoltanba_pki::proof::sign(&auth_key, Statement::Installed(&number));
    let response = install(&app, &number, &id, &proof).await;
    assert_eq!(response.status(), 200);
    let view: ApplicationView = response.json().await.unwrap();
    assert_eq!(view.status, ApplicationStatus::Installed);
    assert_eq!(view.history.len(), 3);
    // Proving again changes nothing.
    let again: ApplicationView = install(&app, &number, &id, &proof)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.history.len(), 3);
}

fn p384_request(holder: &Holder) -> String {
    use der::EncodePem;
    let key = p384::ecdsa::SigningKey::generate();
    RequestBuilder::new(holder.distinguished_name().unwrap())
        .unwrap()
        .build::<_, p384::ecdsa::DerSignature>(&key)
        .unwrap()
        .to_pem(der::pem::LineEnding::LF)
        .unwrap()
}

/// A request whose signature is over other bytes: its key swapped for another.
fn badly_signed(holder: &Holder) -> String {
    use der::{DecodePem, EncodePem};
    let pem = csr(&SigningKey::generate(), holder);
    let mut request = x509_cert::request::CertReq::from_pem(pem.as_bytes()).unwrap();
    let other = SigningKey::generate();
    request.info.public_key =
        spki::SubjectPublicKeyInfoOwned::from_key(other.verifying_key()).unwrap();
    request.to_pem(der::pem::LineEnding::LF).unwrap()
}

#[tokio::test]
async fn bad_requests_get_a_clear_error_and_store_nothing() {
    let app = spawn_app().await;
    let consent = consented(&app, "employee", EMPLOYEE).await.consent;
    let good = csr(&SigningKey::generate(), &employee());
    let mut forged = employee();
    forged.surname = "Иванова".into();
    let same_key = SigningKey::generate();
    let cases: Vec<(Value, &str, &str)> = vec![
        (body(&consent, &request_id(), &badly_signed(&employee()), &good), "authentication_request", "request.signature"),
        (body(&consent, &request_id(), &good, &p384_request(&employee())), "signing_request", "request.algorithm"),
        (body(&consent, &request_id(), &csr(&SigningKey::generate(), &forged), &good), "authentication_request", "request.subject"),
        (body(&consent, &request_id(), "-----BEGIN CERTIFICATE REQUEST-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE REQUEST-----\n", &good), "authentication_request", "request.malformed"),
        (body(&consent, &request_id(), "not a request at all", &good), "authentication_request", "request.malformed"),
        (body(&consent, &request_id(), &csr(&same_key, &employee()), &csr(&same_key, &employee())), "signing_request", "request.same_key"),
        (body(&consent, "short", &good, &good), "request_id", "request_id.invalid"),
    ];
    for (submission, field, code) in cases {
        let (status, error) = error_code(post(&app, &submission).await).await;
        assert_eq!(
            (status, error.code.as_str()),
            (422, "validation"),
            "{field}"
        );
        assert_eq!(
            error.fields.get(field).map(String::as_str),
            Some(code),
            "{field}"
        );
    }
    let mut with_fields = body(
        &consent,
        &request_id(),
        &good,
        &csr(&SigningKey::generate(), &employee()),
    );
    with_fields["email"] = json!("not-an-address");
    with_fields["treasury"] = json!({ "role": "operator", "institution_code": "12345678" });
    let (status, error) = error_code(post(&app, &with_fields).await).await;
    assert_eq!(status, 422);
    assert_eq!(error.fields["email"], "email.shape");
    assert_eq!(error.fields["treasury"], "treasury.not_applicable");

    let mut huge = body(&consent, &request_id(), &good, &good);
    huge["email"] = json!("a".repeat(64 * 1024));
    assert_eq!(post(&app, &huge).await.status(), 413);
    let (status, error) =
        error_code(post(&app, &body("no-such-consent", &request_id(), &good, &good)).await).await;
    assert_eq!((status, error.code.as_str()), (401, "no_consent"));
    assert_eq!(count(&app, "applications").await, 0);
    assert_eq!(count(&app, "application_keys").await, 0);

    // A sound one waits for the first head; its certificates are not there yet.
    let id = request_id();
    let mut sound = body(
        &consent,
        &id,
        &good,
        &csr(&SigningKey::generate(), &employee()),
    );
    sound["email"] = json!("aigerim@example.kz");
    let response = post(&app, &sound).await;
    // The e-mail is in the DN the server builds, so a request without it is refused...
    let (status, error) = error_code(response).await;
    assert_eq!(
        (status, error.fields["authentication_request"].as_str()),
        (422, "request.subject")
    );
    // ...and one with it is taken.
    let with_email = Holder {
        email: Some(Email::parse("aigerim@example.kz").unwrap()),
        ..employee()
    };
    sound["authentication_request"] = json!(csr(&SigningKey::generate(), &with_email));
    sound["signing_request"] = json!(csr(&SigningKey::generate(), &with_email));
    let response = post(&app, &sound).await;
    assert_eq!(response.status(), 201);
    let created: ApplicationCreated = response.json().await.unwrap();
    assert_eq!(created.status, ApplicationStatus::AwaitingHead);
    let (status, error) = error_code(
        get(
            &app,
            &format!("/api/v1/applications/{}/certificates", created.number),
            Some(&id),
        )
        .await,
    )
    .await;
    assert_eq!((status, error.code.as_str()), (409, "not_issued"));

    // The consent is spent, and the same request id with other requests is refused.
    sound["request_id"] = json!(request_id());
    let (status, error) = error_code(post(&app, &sound).await).await;
    assert_eq!((status, error.code.as_str()), (409, "consent_used"));
    sound["request_id"] = json!(id);
    sound["signing_request"] = json!(csr(&SigningKey::generate(), &with_email));
    sound["authentication_request"] = json!(csr(&SigningKey::generate(), &with_email));
    let (status, error) = error_code(post(&app, &sound).await).await;
    assert_eq!((status, error.code.as_str()), (409, "request_reused"));
    assert_eq!(count(&app, "applications").await, 1);

    // Status lookups name a bad number and an unknown one.
    let (status, error) = error_code(get(&app, "/api/v1/applications/12345", None).await).await;
    assert_eq!(
        (status, error.fields["number"].as_str()),
        (422, "application_number.length")
    );
    let (status, _) =
        error_code(get(&app, "/api/v1/applications/12345678901234", None).await).await;
    assert_eq!(status, 404);
}

/// A sound application of a demo person, as its browser knows it.
pub struct Applied {
    pub number: ApplicationNumber,
    pub request_id: String,
    pub authentication: SigningKey,
    pub signing: SigningKey,
}

pub async fn apply(app: &TestApp, template: &str, iin: &str, holder: &Holder) -> Applied {
    let consent = consented(app, template, iin).await.consent;
    let (authentication, signing) = (SigningKey::generate(), SigningKey::generate());
    let request_id = request_id();
    let requests = (csr(&authentication, holder), csr(&signing, holder));
    let response = post(app, &body(&consent, &request_id, &requests.0, &requests.1)).await;
    assert_eq!(response.status(), 201);
    let created: ApplicationCreated = response.json().await.unwrap();
    Applied {
        number: created.number,
        request_id,
        authentication,
        signing,
    }
}

/// The issued certificates of an application, PEM, by purpose.
pub async fn certificates(app: &TestApp, applied: &Applied) -> (String, String) {
    let path = format!("/api/v1/applications/{}/certificates", applied.number);
    let issued: IssuedCertificates = get(app, &path, Some(&applied.request_id))
        .await
        .json()
        .await
        .unwrap();
    let of = |purpose| {
        issued
            .certificates
            .iter()
            .find(|c| c.purpose == purpose)
            .unwrap()
            .certificate
            .clone()
    };
    (of(KeyPurpose::Authentication), of(KeyPurpose::Signing))
}

pub async fn audit_trail(app: &TestApp, number: &ApplicationNumber, id: &str) -> AuditTrail {
    let response = get(
        app,
        &format!("/api/v1/applications/{number}/audit"),
        Some(id),
    )
    .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// `qoltanba-server verify-audit` on the app's data folder: its exit code.
fn verify_audit_command(app: &TestApp) -> Option<i32> {
    std::process::Command::new(env!("CARGO_BIN_EXE_qoltanba-server"))
        .arg("--data-dir")
        .arg(app.data_dir.path())
        .arg("verify-audit")
        .output()
        .expect("the server binary runs")
        .status
        .code()
}

#[tokio::test]
async fn every_event_is_chained_in_the_audit_trail_and_tampering_shows() {
    let app = spawn_app().await;
    let Applied {
        number,
        request_id: id,
        authentication: auth,
        ..
    } = apply(&app, "first_head", HEAD, &head()).await;
    let proof = qoltanba_pki::proof::sign(&auth, Statement::Installed(&number));
    assert_eq!(install(&app, &number, &id, &proof).await.status(), 200);

    let trail = audit_trail(&app, &number, &id).await;
    assert!(trail.chain_verified);
    let events: Vec<(&str, &str)> = trail
        .entries
        .iter()
        .map(|e| (e.event.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            ("created", "applicant"),
            ("identified", "registration_authority"),
            ("issued", "certification_authority"),
            ("installed", "applicant"),
        ]
    );
    let created: Value = serde_json::from_str(trail.entries[0].detail.as_deref().unwrap()).unwrap();
    assert_eq!(
        created["authentication_request"].as_str().unwrap().len(),
        64
    );
    let issued: Value = serde_json::from_str(trail.entries[2].detail.as_deref().unwrap()).unwrap();
    assert_eq!(
        issued["serials"]["authentication"].as_str().unwrap().len(),
        32
    );
    assert_eq!(
        audit::verify(&app.state.db).await.unwrap(),
        Verdict::Intact { rows: 4 }
    );
    assert_eq!(verify_audit_command(&app), Some(0));
    // A stranger may not read it.
    assert_eq!(
        get(&app, &format!("/api/v1/applications/{number}/audit"), None)
            .await
            .status(),
        403
    );

    // The application itself cannot change a row...
    let refused = sqlx::query("UPDATE audit_events SET actor = 'someone' WHERE id = 2")
        .execute(&app.state.db)
        .await;
    assert!(refused.is_err());
    assert!(sqlx::query("DELETE FROM audit_events WHERE id = 4")
        .execute(&app.state.db)
        .await
        .is_err());
    // ...and whoever gets past the trigger is caught by the chain.
    sqlx::query("DROP TRIGGER audit_events_no_update")
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_events SET actor = 'someone' WHERE id = 2")
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&app.state.db).await.unwrap(),
        Verdict::Broken { id: 2 }
    );
    assert!(!audit_trail(&app, &number, &id).await.chain_verified);
    assert_eq!(verify_audit_command(&app), Some(1));
}

#[tokio::test]
async fn applications_unconfirmed_for_30_days_expire() {
    let app = spawn_app().await;
    let Applied {
        number,
        request_id: id,
        ..
    } = apply(&app, "employee", EMPLOYEE, &employee()).await;
    let applications = &app.state.applications;
    let now = time::OffsetDateTime::now_utc();
    assert_eq!(
        applications
            .expire_overdue(now + time::Duration::days(29))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        applications
            .expire_overdue(now + time::Duration::days(31))
            .await
            .unwrap(),
        1
    );
    // Once is enough.
    assert_eq!(
        applications
            .expire_overdue(now + time::Duration::days(32))
            .await
            .unwrap(),
        0
    );
    let view: ApplicationView = get(&app, &format!("/api/v1/applications/{number}"), Some(&id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view.status, ApplicationStatus::Expired);
    assert_eq!(
        view.history.last().unwrap().status,
        ApplicationStatus::Expired
    );
    let trail = audit_trail(&app, &number, &id).await;
    let last = trail.entries.last().unwrap();
    assert_eq!(
        (last.event.as_str(), last.actor.as_str()),
        ("expired", "system")
    );
    assert!(trail.chain_verified);
}
