//! «Личный кабинет» through the API: a holder signs in with his authentication
//! certificate over a one-time challenge; a replayed challenge, a signature over other
//! data, the signing certificate, another CA's, an expired or a revoked one are refused.

use p256::elliptic_curve::Generate;
use qoltanba_domain::api::{
    ApplicationView, AuditTrail, CabinetChallenge, CabinetProfile, HeldCertificate,
    PendingApplication,
};
use qoltanba_domain::decision::{Decision, Verdict};
use qoltanba_domain::revocation::{self, RevocationReason};
use qoltanba_domain::{ApplicationStatus, Bin, CertificateProfile, Iin, KeyPurpose, Template};
use qoltanba_pki::proof::{self, Statement};
use qoltanba_pki::{Holder, Organisation, SigningKey};
use serde_json::json;

use crate::applications::{
    apply, audit_trail, certificates, employee, get, head, openssl_verify, served_pki, Applied,
};
use crate::phone_checks::{last_sms, EMPLOYEE, EMPLOYEE_PHONE, HEAD};
use crate::{error_code, spawn_app, TestApp};

async fn challenge(app: &TestApp) -> String {
    let response = app
        .client
        .post(app.url("/api/v1/cabinet/challenges"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json::<CabinetChallenge>().await.unwrap().challenge
}

async fn sign_in(
    app: &TestApp,
    challenge: &str,
    certificate: &str,
    signature: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/cabinet/sessions"))
        .json(
            &json!({ "challenge": challenge, "certificate": certificate, "signature": signature }),
        )
        .send()
        .await
        .unwrap()
}

/// A fresh challenge signed with `key` and sent with `certificate`.
async fn signed_in(app: &TestApp, key: &SigningKey, certificate: &str) -> reqwest::Response {
    let challenge = challenge(app).await;
    let signature = proof::sign(
        key,
        Statement::SignIn {
            challenge: &challenge,
        },
    );
    sign_in(app, &challenge, certificate, &signature).await
}

async fn refused(response: reqwest::Response) -> String {
    let (status, error) = error_code(response).await;
    assert_eq!(status, 401);
    error.code
}

/// The session cookie's `name=value`.
fn cookie_of(response: &reqwest::Response) -> String {
    let header = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Strict"),
        "{header}"
    );
    header.split(';').next().unwrap().to_owned()
}

async fn current(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/cabinet/sessions/current"))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
}

fn pem(certificate: &qoltanba_pki::Certificate) -> String {
    use der::EncodePem;
    certificate.to_pem(der::pem::LineEnding::LF).unwrap()
}

#[tokio::test]
async fn the_first_head_signs_in_with_his_certificate_and_nothing_else_does() {
    let app = spawn_app().await;
    let applied = apply(&app, "first_head", HEAD, &head()).await;
    let (auth, sign) = certificates(&app, &applied).await;

    let response = signed_in(&app, &applied.authentication, &auth).await;
    assert_eq!(response.status(), 201);
    let cookie = cookie_of(&response);
    let profile: CabinetProfile = current(&app, &cookie).await.json().await.unwrap();
    assert_eq!(profile.iin, HEAD);
    assert_eq!(profile.bin.as_deref(), Some("150340001236"));
    assert_eq!(profile.template, Some(Template::FirstHead));
    assert!(profile.may_confirm);

    // A challenge is good once, even for the right signature.
    let used = challenge(&app).await;
    let signature = proof::sign(
        &applied.authentication,
        Statement::SignIn { challenge: &used },
    );
    assert_eq!(sign_in(&app, &used, &auth, &signature).await.status(), 201);
    assert_eq!(
        refused(sign_in(&app, &used, &auth, &signature).await).await,
        "challenge_invalid"
    );
    assert_eq!(
        refused(sign_in(&app, "feedface", &auth, &signature).await).await,
        "challenge_invalid"
    );
    // A signature over other data, or by another key.
    let fresh = challenge(&app).await;
    let other = proof::sign(
        &applied.authentication,
        Statement::SignIn { challenge: &used },
    );
    assert_eq!(
        refused(sign_in(&app, &fresh, &auth, &other).await).await,
        "signature_invalid"
    );
    assert_eq!(
        refused(signed_in(&app, &applied.signing, &auth).await).await,
        "signature_invalid"
    );
    // The signing certificate is not for signing in.
    assert_eq!(
        refused(signed_in(&app, &applied.signing, &sign).await).await,
        "certificate_purpose"
    );
    // Another authority's certificate for the same key and names.
    let elsewhere = tempfile::tempdir().unwrap();
    let foreign =
        qoltanba_server::ca::Authority::load_or_create(elsewhere.path(), None, "http://x").unwrap();
    let now = time::OffsetDateTime::now_utc();
    let profile = CertificateProfile::LegalEntity {
        template: Template::FirstHead,
    };
    let dn = head().distinguished_name().unwrap();
    let key = applied.authentication.verifying_key();
    let theirs = foreign
        .issue(dn.clone(), key, KeyPurpose::Authentication, profile, now)
        .unwrap();
    assert_eq!(
        refused(signed_in(&app, &applied.authentication, &pem(&theirs)).await).await,
        "certificate_not_ours"
    );
    assert_eq!(
        refused(signed_in(&app, &applied.authentication, "garbage").await).await,
        "certificate_not_ours"
    );
    // Ours, but expired.
    let ours = app.state.applications.authority();
    let old = ours
        .issue(
            dn,
            key,
            KeyPurpose::Authentication,
            profile,
            now - time::Duration::days(400),
        )
        .unwrap();
    assert_eq!(
        refused(signed_in(&app, &applied.authentication, &pem(&old)).await).await,
        "certificate_dates"
    );

    // Revoked: refused, and the open session ends with it.
    sqlx::query("UPDATE application_keys SET revoked_at = ? WHERE application = ?")
        .bind(now)
        .bind(applied.number.as_str())
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        refused(signed_in(&app, &applied.authentication, &auth).await).await,
        "certificate_revoked"
    );
    assert_eq!(
        refused(current(&app, &cookie).await).await,
        "cabinet_session"
    );
}

#[tokio::test]
async fn an_employee_signs_in_but_may_not_confirm_and_signs_out() {
    let app = spawn_app().await;
    let key = SigningKey::generate();
    let profile = CertificateProfile::LegalEntity {
        template: Template::Employee,
    };
    let certificate = app
        .state
        .applications
        .authority()
        .issue(
            employee().distinguished_name().unwrap(),
            key.verifying_key(),
            KeyPurpose::Authentication,
            profile,
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    let response = signed_in(&app, &key, &pem(&certificate)).await;
    assert_eq!(response.status(), 201);
    let cookie = cookie_of(&response);
    let me: CabinetProfile = current(&app, &cookie).await.json().await.unwrap();
    assert_eq!(me.template, Some(Template::Employee));
    assert!(!me.may_confirm);
    let out = app
        .client
        .delete(app.url("/api/v1/cabinet/sessions/current"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        refused(current(&app, &cookie).await).await,
        "cabinet_session"
    );
}

/// Signed in to the cabinet: the session cookie.
async fn session(app: &TestApp, key: &SigningKey, certificate: &str) -> String {
    let response = signed_in(app, key, certificate).await;
    assert_eq!(response.status(), 201);
    cookie_of(&response)
}

async fn pending(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/cabinet/applications"))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// The decision on `application` signed with `key` and sent with `certificate`; `signed`
/// may differ from what is sent, to forge.
async fn decide(
    app: &TestApp,
    cookie: &str,
    application: &PendingApplication,
    (verdict, reason): (Verdict, Option<&str>),
    signed: Verdict,
    (key, certificate): (&SigningKey, &str),
) -> reqwest::Response {
    let canonical = Decision {
        number: &application.number,
        bin: &application.bin,
        iin: &application.iin,
        template: application.template,
        authentication_request: &application.authentication_request,
        signing_request: &application.signing_request,
        verdict: signed,
        reason,
    }
    .canonical();
    let signature = proof::sign(key, Statement::Decision(&canonical));
    app.client
        .post(app.url(&format!("/api/v1/cabinet/applications/{}/decision", application.number)))
        .header("Cookie", cookie)
        .json(&json!({
            "verdict": verdict, "reason": reason, "certificate": certificate, "signature": signature,
        }))
        .send()
        .await
        .unwrap()
}

/// An employee's application awaiting the head, and the head (applied and issued at
/// once) signed in to his cabinet with it listed.
struct InCabinet {
    employee_applied: Applied,
    head_applied: Applied,
    /// The head's certificates, PEM.
    auth: String,
    sign: String,
    cookie: String,
    list: Vec<PendingApplication>,
}

async fn employee_applied_and_head_signed_in(app: &TestApp) -> InCabinet {
    let employee_applied = apply(app, "employee", EMPLOYEE, &employee()).await;
    let head_applied = apply(app, "first_head", HEAD, &head()).await;
    let (auth, sign) = certificates(app, &head_applied).await;
    let cookie = session(app, &head_applied.authentication, &auth).await;
    let list = pending(app, &cookie).await.json().await.unwrap();
    InCabinet {
        employee_applied,
        head_applied,
        auth,
        sign,
        cookie,
        list,
    }
}

async fn status_of(app: &TestApp, applied: &Applied) -> ApplicationView {
    let path = format!("/api/v1/applications/{}", applied.number);
    get(app, &path, Some(&applied.request_id))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_first_head_confirms_with_his_signing_key_and_the_employee_gets_certificates() {
    let app = spawn_app().await;
    let InCabinet {
        employee_applied,
        head_applied,
        auth: _,
        sign,
        cookie,
        list,
    } = employee_applied_and_head_signed_in(&app).await;
    assert_eq!(list.len(), 1);
    let application = &list[0];
    assert_eq!(application.number, employee_applied.number);
    assert_eq!(application.full_name, "Ахметова Айгерим Болатовна");
    assert_eq!(application.template, Template::Employee);

    let confirm = (Verdict::Confirm, None);
    let keys = (&head_applied.signing, sign.as_str());
    let response = decide(&app, &cookie, application, confirm, Verdict::Confirm, keys).await;
    assert_eq!(response.status(), 204);
    let sms = last_sms(&app, EMPLOYEE_PHONE).await;
    assert!(
        sms.contains(&format!("заявка {} подтверждена", application.number)),
        "{sms}"
    );
    let view = status_of(&app, &employee_applied).await;
    assert_eq!(view.status, ApplicationStatus::Issued);
    let statuses: Vec<_> = view.history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            ApplicationStatus::Identified,
            ApplicationStatus::AwaitingHead,
            ApplicationStatus::Issued
        ]
    );
    // The employee's browser can now fetch and install hers.
    let (employee_auth, _) = certificates(&app, &employee_applied).await;
    assert!(employee_auth.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(pending(&app, &cookie)
        .await
        .json::<Vec<PendingApplication>>()
        .await
        .unwrap()
        .is_empty());
    // The trail keeps who decided, what he signed and the signature.
    let trail = audit_trail(&app, &employee_applied.number, &employee_applied.request_id).await;
    assert!(trail.chain_verified);
    let issued = trail.entries.last().unwrap();
    assert_eq!(
        (issued.event.as_str(), issued.actor.as_str()),
        ("issued", "first_head")
    );
    let detail: serde_json::Value =
        serde_json::from_str(issued.detail.as_deref().unwrap()).unwrap();
    assert_eq!(detail["signer_iin"], HEAD);
    assert!(detail["signed"]
        .as_str()
        .unwrap()
        .contains("verdict:confirm"));
    assert_eq!(detail["serials"].as_object().unwrap().len(), 2);
}

#[tokio::test]
async fn decisions_are_refused_unless_the_right_holder_signs_exactly_them() {
    let app = spawn_app().await;
    let InCabinet {
        employee_applied,
        head_applied,
        auth,
        sign,
        cookie,
        list,
    } = employee_applied_and_head_signed_in(&app).await;
    let application = &list[0];
    let head_keys = (&head_applied.signing, sign.as_str());
    let confirm = (Verdict::Confirm, None);

    // Signed «reject», sent as «confirm».
    let response = decide(
        &app,
        &cookie,
        application,
        confirm,
        Verdict::Reject,
        head_keys,
    )
    .await;
    assert_eq!(refused(response).await, "signature_invalid");
    // With the authentication key and certificate instead of the signing ones.
    let auth_keys = (&head_applied.authentication, auth.as_str());
    let response = decide(
        &app,
        &cookie,
        application,
        confirm,
        Verdict::Confirm,
        auth_keys,
    )
    .await;
    assert_eq!(refused(response).await, "certificate_purpose");
    // With somebody else's signing certificate.
    let ours = app.state.applications.authority();
    let now = time::OffsetDateTime::now_utc();
    let hr = CertificateProfile::LegalEntity {
        template: Template::Hr,
    };
    let someone = SigningKey::generate();
    let theirs = ours
        .issue(
            employee().distinguished_name().unwrap(),
            someone.verifying_key(),
            KeyPurpose::Signing,
            hr,
            now,
        )
        .unwrap();
    let response = decide(
        &app,
        &cookie,
        application,
        confirm,
        Verdict::Confirm,
        (&someone, &pem(&theirs)),
    )
    .await;
    let (status, error) = error_code(response).await;
    assert_eq!((status, error.code.as_str()), (403, "signer_mismatch"));
    // A rejection needs its reason.
    let response = decide(
        &app,
        &cookie,
        application,
        (Verdict::Reject, Some("")),
        Verdict::Reject,
        head_keys,
    )
    .await;
    let (status, error) = error_code(response).await;
    assert_eq!(
        (status, error.fields["reason"].as_str()),
        (422, "reason.too_short")
    );

    // The head of another organisation, and an employee, may not decide here.
    let other_head = Holder {
        surname: "Бекова".into(),
        name: "Алия".into(),
        patronymic: None,
        iin: Iin::parse("790921307007").unwrap(),
        organisation: Some(Organisation {
            name: "АО «Степь Логистик» (филиал)".into(),
            bin: Bin::parse("181141007896").unwrap(),
        }),
        email: None,
    };
    let first_head = CertificateProfile::LegalEntity {
        template: Template::FirstHead,
    };
    let other_key = SigningKey::generate();
    let other_auth = ours
        .issue(
            other_head.distinguished_name().unwrap(),
            other_key.verifying_key(),
            KeyPurpose::Authentication,
            first_head,
            now,
        )
        .unwrap();
    let other_sign = ours
        .issue(
            other_head.distinguished_name().unwrap(),
            other_key.verifying_key(),
            KeyPurpose::Signing,
            first_head,
            now,
        )
        .unwrap();
    let other_cookie = session(&app, &other_key, &pem(&other_auth)).await;
    assert!(pending(&app, &other_cookie)
        .await
        .json::<Vec<PendingApplication>>()
        .await
        .unwrap()
        .is_empty());
    let response = decide(
        &app,
        &other_cookie,
        application,
        confirm,
        Verdict::Confirm,
        (&other_key, &pem(&other_sign)),
    )
    .await;
    let (status, error) = error_code(response).await;
    assert_eq!((status, error.code.as_str()), (403, "other_organisation"));
    let plain = SigningKey::generate();
    let employee_profile = CertificateProfile::LegalEntity {
        template: Template::Employee,
    };
    let plain_auth = ours
        .issue(
            employee().distinguished_name().unwrap(),
            plain.verifying_key(),
            KeyPurpose::Authentication,
            employee_profile,
            now,
        )
        .unwrap();
    let plain_cookie = session(&app, &plain, &pem(&plain_auth)).await;
    let (status, error) = error_code(pending(&app, &plain_cookie).await).await;
    assert_eq!((status, error.code.as_str()), (403, "may_not_confirm"));
    assert_eq!(
        status_of(&app, &employee_applied).await.status,
        ApplicationStatus::AwaitingHead
    );

    // Rejected with its reason, shown in the status table; no second decision.
    let reason = "Сотрудник уволен";
    let reject = (Verdict::Reject, Some(reason));
    let response = decide(
        &app,
        &cookie,
        application,
        reject,
        Verdict::Reject,
        head_keys,
    )
    .await;
    assert_eq!(response.status(), 204);
    let sms = last_sms(&app, EMPLOYEE_PHONE).await;
    assert!(
        sms.contains("отклонил заявку") && !sms.contains(reason),
        "{sms}"
    );
    let view = status_of(&app, &employee_applied).await;
    assert_eq!(view.status, ApplicationStatus::Rejected);
    assert_eq!(view.history.last().unwrap().reason.as_deref(), Some(reason));
    let response = decide(
        &app,
        &cookie,
        application,
        confirm,
        Verdict::Confirm,
        head_keys,
    )
    .await;
    let (status, error) = error_code(response).await;
    assert_eq!((status, error.code.as_str()), (409, "wrong_status"));
}

pub fn serial_of(pem: &str) -> String {
    let certificate = qoltanba_pki::parse_certificate(pem.as_bytes()).unwrap();
    qoltanba_pki::hex_upper(certificate.tbs_certificate().serial_number().as_bytes())
}

/// A revocation of `certificate` signed with `key`; through the cabinet when `cabinet`
/// has the session cookie and the signer's certificate.
pub async fn revoke(
    app: &TestApp,
    certificate: &str,
    key: &SigningKey,
    cabinet: Option<(&str, &str)>,
) -> reqwest::Response {
    let reason = RevocationReason::AffiliationChanged;
    let canonical = revocation::canonical(&serial_of(certificate), reason);
    let signature = proof::sign(key, Statement::Revocation(&canonical));
    let body = json!({
        "certificate": certificate, "reason": reason,
        "signer_certificate": cabinet.map(|(_, signer)| signer), "signature": signature,
    });
    let request = match cabinet {
        Some((cookie, _)) => app
            .client
            .post(app.url("/api/v1/cabinet/revocations"))
            .header("Cookie", cookie),
        None => app.client.post(app.url("/api/v1/revocations")),
    };
    request.json(&body).send().await.unwrap()
}

/// `openssl verify -crl_check` of `certificate` with the served chain and CRL.
async fn openssl_crl_check(app: &TestApp, certificate: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    served_pki(app, dir.path()).await;
    std::fs::write(dir.path().join("leaf.pem"), certificate).unwrap();
    openssl_verify(dir.path(), &["-crl_check", "-CRLfile", "crl.pem"])
}

#[tokio::test]
async fn a_holder_revokes_his_own_certificates_and_the_crl_says_so_at_once() {
    let app = spawn_app().await;
    let applied = apply(&app, "first_head", HEAD, &head()).await;
    let (auth, sign) = certificates(&app, &applied).await;
    openssl_crl_check(&app, &auth).await.unwrap();
    // Only the certificate's own key may revoke it this way.
    let stranger = SigningKey::generate();
    assert_eq!(
        refused(revoke(&app, &auth, &stranger, None).await).await,
        "signature_invalid"
    );
    assert_eq!(
        revoke(&app, &auth, &applied.authentication, None)
            .await
            .status(),
        204
    );
    let view: ApplicationView = app
        .client
        .get(app.url(&format!("/api/v1/applications/{}", applied.number)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view.status, ApplicationStatus::Revoked);
    // Both certificates of the application are on the CRL, with the reason.
    for certificate in [&auth, &sign] {
        let verdict = openssl_crl_check(&app, certificate).await.unwrap_err();
        assert!(verdict.contains("certificate revoked"), "{verdict}");
    }
    let (status, error) = error_code(revoke(&app, &sign, &applied.signing, None).await).await;
    assert_eq!((status, error.code.as_str()), (409, "wrong_status"));
    // A signer's certificate without a cabinet session is not a way in.
    let response = app
        .client
        .post(app.url("/api/v1/revocations"))
        .json(&json!({
            "certificate": auth, "reason": "superseded",
            "signer_certificate": sign, "signature": "00",
        }))
        .send()
        .await
        .unwrap();
    let (status, error) = error_code(response).await;
    assert_eq!((status, error.code.as_str()), (403, "may_not_confirm"));
}

/// The cabinet's certificates list.
async fn held(app: &TestApp, cookie: &str) -> Vec<HeldCertificate> {
    let response = app
        .client
        .get(app.url("/api/v1/cabinet/certificates"))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_first_head_revokes_an_employees_certificates_in_his_cabinet() {
    let app = spawn_app().await;
    let InCabinet {
        employee_applied,
        head_applied,
        auth: _,
        sign,
        cookie,
        list,
    } = employee_applied_and_head_signed_in(&app).await;
    let keys = (&head_applied.signing, sign.as_str());
    let confirmed = decide(
        &app,
        &cookie,
        &list[0],
        (Verdict::Confirm, None),
        Verdict::Confirm,
        keys,
    )
    .await;
    assert_eq!(confirmed.status(), 204);
    let (employee_auth, _) = certificates(&app, &employee_applied).await;
    // The head's cabinet lists his organisation's certificates, the employee's only hers.
    let listed = held(&app, &cookie).await;
    assert_eq!(listed.len(), 4);
    let employees: Vec<_> = listed
        .iter()
        .filter(|c| c.number == employee_applied.number)
        .collect();
    assert_eq!(employees.len(), 2);
    assert!(employees.iter().all(|c| c.iin == EMPLOYEE
        && c.template == Some(Template::Employee)
        && c.revoked_at.is_none()));
    assert!(employees.iter().any(|c| c.certificate == employee_auth));
    let employee_cookie = session(&app, &employee_applied.authentication, &employee_auth).await;
    let own = held(&app, &employee_cookie).await;
    assert_eq!(own.len(), 2);
    assert!(own.iter().all(|c| c.number == employee_applied.number));

    // Not with his authentication key, and not without the session.
    let wrong = revoke(
        &app,
        &employee_auth,
        &head_applied.authentication,
        Some((&cookie, &sign)),
    )
    .await;
    assert_eq!(refused(wrong).await, "signature_invalid");
    let response = revoke(
        &app,
        &employee_auth,
        &head_applied.signing,
        Some((&cookie, &sign)),
    )
    .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        status_of(&app, &employee_applied).await.status,
        ApplicationStatus::Revoked
    );
    assert!(held(&app, &cookie)
        .await
        .iter()
        .filter(|c| c.number == employee_applied.number)
        .all(|c| c.revoked_at.is_some()));
    let verdict = openssl_crl_check(&app, &employee_auth).await.unwrap_err();
    assert!(verdict.contains("certificate revoked"), "{verdict}");
    let trail = audit_trail(&app, &employee_applied.number, &employee_applied.request_id).await;
    let last = trail.entries.last().unwrap();
    assert_eq!(
        (last.event.as_str(), last.actor.as_str()),
        ("revoked", "first_head")
    );
    assert!(trail.chain_verified);
    // The head sees his organisation's trail: both applications, every event.
    let organisation: AuditTrail = app
        .client
        .get(app.url("/api/v1/cabinet/audit"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(organisation.chain_verified);
    for number in [&employee_applied.number, &head_applied.number] {
        assert!(organisation
            .entries
            .iter()
            .any(|e| e.application == number.as_str()));
    }
    // The head's own application: created, identified, issued.
    assert_eq!(organisation.entries.len(), trail.entries.len() + 3);
}
