//! `POST /v1/certificate-checks`: «Проверка ключа ЭЦП». Any X.509 certificate is
//! described (whom it names, role, key usage, dates); where it stands today is known
//! only for ours: our issuing CA's signature, its dates, and the records' revocations
//! (the OCSP responder's look-up). Nothing is stored.

use axum::extract::State;
use axum::Json;
use base64::Engine;
use const_oid::db::rfc4519;
use const_oid::db::rfc5912::{
    ID_KP_CLIENT_AUTH, ID_KP_CODE_SIGNING, ID_KP_EMAIL_PROTECTION, ID_KP_OCSP_SIGNING,
    ID_KP_SERVER_AUTH, ID_KP_TIME_STAMPING,
};
use qoltanba_domain::api::{CertificateCheck, CertificateCheckRequest, CertificateStanding};
use qoltanba_domain::{Bin, Iin};
use time::OffsetDateTime;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::Certificate;

use crate::ca::{self, CertificateStatus};
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

/// A holder's certificate is about a kilobyte; PEM inside JSON stays well below this.
pub const BODY_LIMIT: usize = 16 * 1024;

/// RFC 5280's names, in its order.
const KEY_USAGES: [(KeyUsages, &str); 9] = [
    (KeyUsages::DigitalSignature, "digitalSignature"),
    (KeyUsages::NonRepudiation, "nonRepudiation"),
    (KeyUsages::KeyEncipherment, "keyEncipherment"),
    (KeyUsages::DataEncipherment, "dataEncipherment"),
    (KeyUsages::KeyAgreement, "keyAgreement"),
    (KeyUsages::KeyCertSign, "keyCertSign"),
    (KeyUsages::CRLSign, "cRLSign"),
    (KeyUsages::EncipherOnly, "encipherOnly"),
    (KeyUsages::DecipherOnly, "decipherOnly"),
];

/// RFC 5280's extended key usages; NCA's role OIDs are told by `template` instead.
const EXTENDED_KEY_USAGES: [(const_oid::ObjectIdentifier, &str); 6] = [
    (ID_KP_SERVER_AUTH, "serverAuth"),
    (ID_KP_CLIENT_AUTH, "clientAuth"),
    (ID_KP_CODE_SIGNING, "codeSigning"),
    (ID_KP_EMAIL_PROTECTION, "emailProtection"),
    (ID_KP_TIME_STAMPING, "timeStamping"),
    (ID_KP_OCSP_SIGNING, "OCSPSigning"),
];

/// Describes the certificate and says where it stands.
#[utoipa::path(post, path = "/v1/certificate-checks", request_body = CertificateCheckRequest,
    responses((status = 200, body = CertificateCheck), (status = 413), (status = 422)))]
pub async fn check(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CertificateCheckRequest>,
) -> Result<Json<CertificateCheck>, ApiError> {
    let certificate = read(&request.certificate).ok_or(ApiError::CertificateUnreadable)?;
    let authority = state.applications.authority();
    let tbs = certificate.tbs_certificate();
    let serial = qoltanba_pki::hex_upper(tbs.serial_number().as_bytes());
    // A certificate our key signed but the records never issued is not ours either.
    let status = if authority.issued_here(&certificate) {
        state.applications.certificate_status(&serial).await?
    } else {
        CertificateStatus::Unknown
    };
    let not_before = OffsetDateTime::from(tbs.validity().not_before.to_system_time());
    let not_after = OffsetDateTime::from(tbs.validity().not_after.to_system_time());
    let now = OffsetDateTime::now_utc();
    let (standing, revoked_at, revocation_reason) = match status {
        CertificateStatus::Unknown => (CertificateStanding::NotOurs, None, None),
        CertificateStatus::Revoked { at, reason } => {
            (CertificateStanding::Revoked, Some(at), reason)
        }
        CertificateStatus::Issued if now < not_before => {
            (CertificateStanding::NotYetValid, None, None)
        }
        CertificateStatus::Issued if now > not_after => (CertificateStanding::Expired, None, None),
        CertificateStatus::Issued => (CertificateStanding::Valid, None, None),
    };
    let subject = tbs.subject();
    let mut chain = vec![subject.to_string()];
    if standing != CertificateStanding::NotOurs {
        chain.extend(
            authority
                .chain()
                .iter()
                .map(|ca| ca.tbs_certificate().subject().to_string()),
        );
    }
    let usages = tbs
        .get_extension::<ExtendedKeyUsage>()
        .ok()
        .flatten()
        .map(|(_, eku)| eku.0)
        .unwrap_or_default();
    Ok(Json(CertificateCheck {
        serial,
        owner: ca::subject_attribute(subject, rfc4519::CN).unwrap_or_else(|| subject.to_string()),
        iin: ca::subject_attribute(subject, rfc4519::SERIAL_NUMBER)
            .and_then(|s| Some(Iin::parse(s.strip_prefix("IIN")?).ok()?.as_str().to_owned())),
        organisation: ca::subject_attribute(subject, rfc4519::O),
        bin: ca::subject_attribute(subject, rfc4519::OU)
            .and_then(|s| Some(Bin::parse(s.strip_prefix("BIN")?).ok()?.as_str().to_owned())),
        template: ca::template_of(&usages),
        purpose: ca::purpose_of(&usages),
        key_usage: key_usage_names(&certificate, &usages),
        not_before,
        not_after,
        chain,
        standing,
        revoked_at,
        revocation_reason,
    }))
}

/// PEM, or the DER in base64 (line breaks allowed, as copied from a file).
fn read(text: &str) -> Option<Certificate> {
    let text = text.trim();
    let bytes = if text.starts_with("-----BEGIN") {
        text.as_bytes().to_vec()
    } else {
        let base64: String = text.split_whitespace().collect();
        base64::engine::general_purpose::STANDARD
            .decode(base64)
            .ok()?
    };
    qoltanba_pki::parse_certificate(&bytes).ok()
}

/// The key usage bits, then the extended key usages.
fn key_usage_names(
    certificate: &Certificate,
    usages: &[const_oid::ObjectIdentifier],
) -> Vec<String> {
    let bits = certificate
        .tbs_certificate()
        .get_extension::<KeyUsage>()
        .ok()
        .flatten()
        .map(|(_, usage)| usage.0);
    let bits = KEY_USAGES
        .iter()
        .filter(|(flag, _)| bits.is_some_and(|bits| bits.contains(*flag)))
        .map(|(_, name)| name);
    let extended = EXTENDED_KEY_USAGES
        .iter()
        .filter(|(oid, _)| usages.contains(oid))
        .map(|(_, name)| name);
    bits.chain(extended)
        .map(|name| (*name).to_owned())
        .collect()
}
