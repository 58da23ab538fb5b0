//! PKCS#10 requests: the browser signs one per key with the DN it was shown; the
//! registration authority accepts it only if the signature holds (proof that the
//! requester has the private key: x509-cert does not check it), the key is P-256 and
//! the subject is exactly the DN the authority built itself.

use const_oid::db::{rfc5912, rfc5912::SECP_256_R_1};
use der::asn1::ObjectIdentifier;
use der::{DecodePem, Encode, EncodePem};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use x509_cert::builder::{Builder, RequestBuilder};
use x509_cert::name::Name;
use x509_cert::request::CertReq;

/// A PEM request is a few hundred bytes; anything this long is not one.
pub const MAX_PEM_LENGTH: usize = 8 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("not a PKCS#10 request in PEM")]
    Malformed,
    #[error("the request's key is not ECDSA P-256 signed with SHA-256")]
    Algorithm,
    #[error("the request's signature does not verify")]
    Signature,
    #[error("the request's subject is not the applicant's")]
    Subject,
}

impl qoltanba_domain::ErrorCode for RequestError {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed => "request.malformed",
            Self::Algorithm => "request.algorithm",
            Self::Signature => "request.signature",
            Self::Subject => "request.subject",
        }
    }
}

/// A request for `key` naming `subject`, in PEM.
pub fn build(key: &SigningKey, subject: Name) -> Result<String, x509_cert::builder::Error> {
    let request = RequestBuilder::new(subject)?.build::<_, DerSignature>(key)?;
    Ok(request.to_pem(der::pem::LineEnding::LF)?)
}

/// The request's key, when the request is sound and names `subject`.
pub fn verify(pem: &str, subject: &Name) -> Result<VerifyingKey, RequestError> {
    if pem.len() > MAX_PEM_LENGTH {
        return Err(RequestError::Malformed);
    }
    let request = CertReq::from_pem(pem.as_bytes()).map_err(|_| RequestError::Malformed)?;
    let spki = &request.info.public_key;
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    if spki.algorithm.oid != rfc5912::ID_EC_PUBLIC_KEY
        || curve != Some(SECP_256_R_1)
        || request.algorithm.oid != rfc5912::ECDSA_WITH_SHA_256
    {
        return Err(RequestError::Algorithm);
    }
    let key = spki
        .subject_public_key
        .as_bytes()
        .and_then(|point| VerifyingKey::from_sec1_bytes(point).ok())
        .ok_or(RequestError::Algorithm)?;
    let signature = request
        .signature
        .as_bytes()
        .and_then(|bytes| DerSignature::try_from(bytes).ok())
        .ok_or(RequestError::Signature)?;
    // DER is canonical: re-encoding the decoded info gives back the signed bytes.
    let signed = request.info.to_der().map_err(|_| RequestError::Malformed)?;
    key.verify(&signed, &signature)
        .map_err(|_| RequestError::Signature)?;
    if &request.info.subject != subject {
        return Err(RequestError::Subject);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use p256::elliptic_curve::Generate;
    use qoltanba_domain::ErrorCode;

    use super::*;
    use crate::holder::tests::head;

    fn request_for(key: &SigningKey) -> String {
        build(key, head().distinguished_name().unwrap()).unwrap()
    }

    #[test]
    fn a_sound_request_gives_its_key() {
        let key = SigningKey::generate();
        let pem = request_for(&key);
        assert!(pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
        let dn = head().distinguished_name().unwrap();
        assert_eq!(verify(&pem, &dn), Ok(*key.verifying_key()));
    }

    #[test]
    fn a_forged_subject_is_refused() {
        let key = SigningKey::generate();
        let mut other = head();
        other.surname = "ИВАНОВ".into();
        let pem = build(&key, other.distinguished_name().unwrap()).unwrap();
        let dn = head().distinguished_name().unwrap();
        assert_eq!(verify(&pem, &dn), Err(RequestError::Subject));
        assert_eq!(RequestError::Subject.code(), "request.subject");
    }

    #[test]
    fn a_request_with_a_changed_byte_is_refused() {
        let key = SigningKey::generate();
        let pem = request_for(&key);
        let mut request = CertReq::from_pem(pem.as_bytes()).unwrap();
        // Another key in the request, the signature still the first key's.
        let other = SigningKey::generate();
        let point = other.verifying_key().to_sec1_point(false);
        request.info.public_key.subject_public_key =
            der::asn1::BitString::from_bytes(point.as_bytes()).unwrap();
        let forged = request.to_pem(der::pem::LineEnding::LF).unwrap();
        let dn = head().distinguished_name().unwrap();
        assert_eq!(verify(&forged, &dn), Err(RequestError::Signature));
    }

    #[test]
    fn garbage_and_huge_input_are_malformed() {
        let dn = head().distinguished_name().unwrap();
        for bad in [
            "",
            "hello",
            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
        ] {
            assert_eq!(verify(bad, &dn), Err(RequestError::Malformed), "{bad}");
        }
        let huge = "A".repeat(MAX_PEM_LENGTH + 1);
        assert_eq!(verify(&huge, &dn), Err(RequestError::Malformed));
    }
}
