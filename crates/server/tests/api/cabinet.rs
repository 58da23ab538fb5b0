//! «Личный кабинет» through the API: a holder signs in with his authentication
//! certificate over a one-time challenge; a replayed challenge, a signature over other
//! data, the signing certificate, another CA's, an expired or a revoked one are refused.

use p256::elliptic_curve::Generate;
use qoltanba_domain::api::{CabinetChallenge, CabinetProfile};
use qoltanba_domain::{CertificateProfile, KeyPurpose, Template};
use qoltanba_pki::proof::{self, Statement};
use qoltanba_pki::SigningKey;
use serde_json::json;

use crate::applications::{apply, certificates, employee, head};
use crate::phone_checks::HEAD;
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
