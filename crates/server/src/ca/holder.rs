//! A holder's certificate as presented back to us (the first head's cabinet, key
//! checks): issued by our issuing CA, within its dates, and what it says about whom.

use const_oid::db::rfc4519;
use const_oid::db::rfc5912::{ID_KP_CLIENT_AUTH, ID_KP_EMAIL_PROTECTION};
use const_oid::ObjectIdentifier;
use der::asn1::{PrintableStringRef, Utf8StringRef};
use der::Encode;
use p384::ecdsa::signature::Verifier;
use qoltanba_domain::{Bin, Iin, KeyPurpose, Template};
use time::OffsetDateTime;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::Authority;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HolderCheckError {
    #[error("not a certificate this authority issued")]
    NotOurs,
    #[error("the certificate is not valid yet, or no longer")]
    OutOfDates,
    #[error("the certificate does not name a holder the way ours do")]
    Unreadable,
}

/// What one of our holder certificates says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertifiedHolder {
    /// Upper-case hex, as `application_keys.serial`.
    pub serial: String,
    pub iin: Iin,
    pub bin: Option<Bin>,
    pub template: Option<Template>,
    pub purpose: KeyPurpose,
    pub key: p256::ecdsa::VerifyingKey,
}

/// A subject attribute's text, whichever string type holds it.
pub fn attribute(name: &Name, oid: const_oid::ObjectIdentifier) -> Option<String> {
    name.iter().find(|a| a.oid == oid).and_then(|a| {
        a.value
            .decode_as::<Utf8StringRef<'_>>()
            .map(|s| s.as_str().to_owned())
            .or_else(|_| {
                a.value
                    .decode_as::<PrintableStringRef<'_>>()
                    .map(|s| s.as_str().to_owned())
            })
            .ok()
    })
}

/// The purpose our extended key usages give the key.
pub fn purpose_of(usages: &[ObjectIdentifier]) -> Option<KeyPurpose> {
    if usages.contains(&ID_KP_CLIENT_AUTH) {
        Some(KeyPurpose::Authentication)
    } else if usages.contains(&ID_KP_EMAIL_PROTECTION) {
        Some(KeyPurpose::Signing)
    } else {
        None
    }
}

/// The role our extended key usages name, for a legal entity's certificate.
pub fn template_of(usages: &[ObjectIdentifier]) -> Option<Template> {
    Template::ALL
        .into_iter()
        .find(|t| usages.iter().any(|u| u.to_string() == t.role_oid()))
}

impl Authority {
    /// Whether our issuing CA signed the certificate.
    pub fn issued_here(&self, certificate: &Certificate) -> bool {
        let tbs = certificate.tbs_certificate();
        let issuing = self.issuing.tbs_certificate();
        let issuer_key = issuing
            .subject_public_key_info()
            .subject_public_key
            .as_bytes()
            .and_then(|point| p384::ecdsa::VerifyingKey::from_sec1_bytes(point).ok())
            .expect("our issuing CA's key reads");
        let Ok(signed) = tbs.to_der() else {
            return false;
        };
        let signature = certificate
            .signature()
            .as_bytes()
            .and_then(|bytes| p384::ecdsa::DerSignature::try_from(bytes).ok());
        tbs.issuer() == issuing.subject()
            && signature.is_some_and(|signature| issuer_key.verify(&signed, &signature).is_ok())
    }

    /// The certificate's holder, when our issuing CA signed it and `now` is within its
    /// dates. Revocation is the applications' business (they hold the serials).
    pub fn check_holder(
        &self,
        certificate: &Certificate,
        now: OffsetDateTime,
    ) -> Result<CertifiedHolder, HolderCheckError> {
        if !self.issued_here(certificate) {
            return Err(HolderCheckError::NotOurs);
        }
        let tbs = certificate.tbs_certificate();
        let validity = tbs.validity();
        let now = std::time::SystemTime::from(now);
        if now < validity.not_before.to_system_time() || now > validity.not_after.to_system_time() {
            return Err(HolderCheckError::OutOfDates);
        }
        let subject = tbs.subject();
        let iin = attribute(subject, rfc4519::SERIAL_NUMBER)
            .and_then(|s| s.strip_prefix("IIN").and_then(|iin| Iin::parse(iin).ok()))
            .ok_or(HolderCheckError::Unreadable)?;
        let bin = attribute(subject, rfc4519::OU)
            .map(|s| {
                s.strip_prefix("BIN")
                    .and_then(|bin| Bin::parse(bin).ok())
                    .ok_or(HolderCheckError::Unreadable)
            })
            .transpose()?;
        let usages = tbs
            .get_extension::<ExtendedKeyUsage>()
            .ok()
            .flatten()
            .map(|(_, eku)| eku.0)
            .ok_or(HolderCheckError::Unreadable)?;
        let purpose = purpose_of(&usages).ok_or(HolderCheckError::Unreadable)?;
        let template = template_of(&usages);
        let key = tbs
            .subject_public_key_info()
            .subject_public_key
            .as_bytes()
            .and_then(|point| p256::ecdsa::VerifyingKey::from_sec1_bytes(point).ok())
            .ok_or(HolderCheckError::Unreadable)?;
        Ok(CertifiedHolder {
            serial: qoltanba_pki::hex_upper(tbs.serial_number().as_bytes()),
            iin,
            bin,
            template,
            purpose,
            key,
        })
    }
}
