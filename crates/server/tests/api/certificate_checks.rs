//! «Проверка ключа ЭЦП» through the API: a head's certificates described in full and
//! valid, then revoked with the time and reason; another CA's, and one our key signed
//! that the records never issued, are not ours; garbage is refused; nothing is stored.

use qoltanba_domain::api::{CertificateCheck, CertificateStanding};
use qoltanba_domain::revocation::RevocationReason;
use qoltanba_domain::{KeyPurpose, Template};
use serde_json::json;

use crate::applications::{apply, certificates, head};
use crate::cabinet::{revoke, serial_of};
use crate::ocsp::{foreign_certificate, never_issued};
use crate::phone_checks::{HEAD, ORG};
use crate::{error_code, spawn_app, TestApp};

async fn check(app: &TestApp, certificate: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/certificate-checks"))
        .json(&json!({ "certificate": certificate }))
        .send()
        .await
        .unwrap()
}

async fn checked(app: &TestApp, certificate: &str) -> CertificateCheck {
    let response = check(app, certificate).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The DER in base64, on one line: what a PEM file holds between its armour.
fn base64_der(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

async fn rows(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["applications", "application_keys", "audit_events"] {
        let count = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        counts.push(count);
    }
    counts
}

#[tokio::test]
async fn a_heads_certificates_are_valid_with_who_and_what_then_revoked() {
    let app = spawn_app().await;
    let applied = apply(&app, "first_head", HEAD, &head()).await;
    let (auth, sign) = certificates(&app, &applied).await;

    let found = checked(&app, &auth).await;
    assert_eq!(found.serial, serial_of(&auth));
    assert_eq!(found.owner, "СЕЙТКАЛИ ЕРЛАН");
    assert_eq!(found.iin.as_deref(), Some(HEAD));
    assert_eq!(found.organisation.as_deref(), Some("ТОО «Qoltanba Demo»"));
    assert_eq!(found.bin.as_deref(), Some(ORG));
    assert_eq!(found.template, Some(Template::FirstHead));
    assert_eq!(found.purpose, Some(KeyPurpose::Authentication));
    assert_eq!(
        found.key_usage,
        ["digitalSignature", "keyEncipherment", "clientAuth"]
    );
    assert_eq!(found.chain.len(), 3, "{:?}", found.chain);
    assert!(
        found.chain[0].contains("CN=СЕЙТКАЛИ ЕРЛАН"),
        "{:?}",
        found.chain
    );
    assert!(found.chain[1].contains("CN=Qoltanba Issuing CA"));
    assert!(found.chain[2].contains("CN=Qoltanba Root CA"));
    assert_eq!(found.standing, CertificateStanding::Valid);
    assert_eq!(
        found.not_after - found.not_before,
        time::Duration::days(365)
    );
    assert_eq!((found.revoked_at, found.revocation_reason), (None, None));

    // The signing certificate as bare base64 DER, as some tools copy it.
    let found = checked(&app, &base64_der(&sign)).await;
    assert_eq!(found.purpose, Some(KeyPurpose::Signing));
    assert_eq!(
        found.key_usage,
        ["digitalSignature", "nonRepudiation", "emailProtection"]
    );
    assert_eq!(found.standing, CertificateStanding::Valid);

    let before = time::OffsetDateTime::now_utc();
    assert_eq!(
        revoke(&app, &auth, &applied.authentication, None)
            .await
            .status(),
        204
    );
    for certificate in [&auth, &sign] {
        let found = checked(&app, certificate).await;
        assert_eq!(found.standing, CertificateStanding::Revoked);
        let at = found.revoked_at.expect("the revocation's time");
        assert!(at >= before - time::Duration::seconds(1), "{at}");
        assert!(at <= time::OffsetDateTime::now_utc());
        assert_eq!(
            found.revocation_reason,
            Some(RevocationReason::AffiliationChanged)
        );
        assert_eq!(found.chain.len(), 3);
    }
}

#[tokio::test]
async fn other_certificates_are_not_ours_garbage_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let stored = rows(&app).await;
    let dir = tempfile::tempdir().unwrap();

    let found = checked(&app, &foreign_certificate(dir.path()).await).await;
    assert_eq!(found.standing, CertificateStanding::NotOurs);
    assert_eq!(found.owner, "Foreign-CA");
    assert_eq!(found.organisation.as_deref(), Some("Elsewhere"));
    assert_eq!((found.iin, found.bin), (None, None));
    assert_eq!((found.template, found.purpose), (None, None));
    assert_eq!(found.chain.len(), 1);

    // Our CA's signature, but the records never issued it.
    let found = checked(&app, &never_issued(&app)).await;
    assert_eq!(found.standing, CertificateStanding::NotOurs);
    assert_eq!(found.iin.as_deref(), Some(HEAD));
    assert_eq!(found.chain.len(), 1);

    for garbage in [
        "",
        "not a certificate",
        "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n",
        "Z2FyYmFnZQ==",
    ] {
        let (status, error) = error_code(check(&app, garbage).await).await;
        assert_eq!(
            (status, error.code.as_str()),
            (422, "certificate_unreadable"),
            "{garbage}"
        );
    }
    let (status, error) = error_code(check(&app, &"A".repeat(20 * 1024)).await).await;
    assert_eq!((status, error.code.as_str()), (413, "too_large"));
    assert_eq!(rows(&app).await, stored);
}
