//! The certificate pieces both sides build, written once over RustCrypto's typed ASN.1:
//! the browser makes keys and requests and writes key stores; the server checks the
//! requests against the subject it builds itself. Nothing here does I/O.

pub mod holder;
pub mod key_store;
pub mod proof;
pub mod request;
pub mod sealed;

pub use holder::{Holder, Organisation};
pub use p256::ecdsa::{SigningKey, VerifyingKey};
pub use x509_cert::Certificate;

use der::{Decode, DecodePem};
use x509_cert::ext::pkix::SubjectKeyIdentifier;

/// A fresh P-256 key from the system's (or the browser's) random numbers.
pub fn generate_key() -> SigningKey {
    use p256::elliptic_curve::Generate;
    SigningKey::generate()
}

/// A certificate from PEM or DER, whichever the bytes are. PEM may follow other text
/// (OpenSSL's exports start with "Bag Attributes"), as RFC 7468 allows.
pub fn parse_certificate(bytes: &[u8]) -> Result<Certificate, der::Error> {
    const BEGIN: &[u8] = b"-----BEGIN";
    match bytes.windows(BEGIN.len()).position(|w| w == BEGIN) {
        Some(start) => Certificate::from_pem(&bytes[start..]),
        None => Certificate::from_der(bytes),
    }
}

/// Certificates one after the other in PEM, as `/pki/ca.pem` serves the chain.
pub fn parse_chain(pem: &str) -> Result<Vec<Certificate>, der::Error> {
    Certificate::load_pem_chain(pem.as_bytes())
}

/// The certificate's Subject Key Identifier: the name of its key store and the alias
/// inside it. Our CA always writes one (RFC 5280's SHA-1 of the key).
pub fn subject_key_id(certificate: &Certificate) -> Option<Vec<u8>> {
    certificate
        .tbs_certificate()
        .get_extension::<SubjectKeyIdentifier>()
        .ok()
        .flatten()
        .map(|(_, ski)| ski.0.as_bytes().to_vec())
}

/// The identifier a key will have in its certificate, known before the certificate:
/// the browser names pending keys by it and pairs them with certificates by it.
pub fn key_id(key: &VerifyingKey) -> Vec<u8> {
    let spki = spki::SubjectPublicKeyInfoOwned::from_key(key).expect("a P-256 key encodes");
    SubjectKeyIdentifier::try_from(spki.owned_to_ref())
        .expect("hashing a key cannot fail")
        .0
        .as_bytes()
        .to_vec()
}

/// Whether the certificate is for this key.
pub fn certifies(certificate: &Certificate, key: &VerifyingKey) -> bool {
    let point = key.to_sec1_point(false);
    certificate
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .as_bytes()
        == Some(point.as_bytes())
}

/// The certificate's serial number in upper-case hex, as the server stores it and as
/// revocations name it.
pub fn serial(certificate: &Certificate) -> String {
    hex_upper(certificate.tbs_certificate().serial_number().as_bytes())
}

/// The certificate in PEM, as the API takes it.
pub fn to_pem(certificate: &Certificate) -> String {
    use der::EncodePem;
    certificate
        .to_pem(der::pem::LineEnding::LF)
        .expect("a decoded certificate encodes again")
}

/// The subject's common name: the holder's name in ours.
pub fn common_name(certificate: &Certificate) -> Option<String> {
    use der::asn1::{PrintableStringRef, Utf8StringRef};
    let attribute = certificate
        .tbs_certificate()
        .subject()
        .iter()
        .find(|a| a.oid == const_oid::db::rfc4519::CN)?;
    attribute
        .value
        .decode_as::<Utf8StringRef<'_>>()
        .map(|s| s.as_str().to_owned())
        .or_else(|_| {
            attribute
                .value
                .decode_as::<PrintableStringRef<'_>>()
                .map(|s| s.as_str().to_owned())
        })
        .ok()
}

/// Upper-case hex, as NCA writes identifiers in file names.
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

use der::referenced::OwnedToRef;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_reads_from_der_pem_and_pem_after_other_text() {
        // Exported by OpenSSL 3 (tests/fixtures/README.md).
        let p12 = include_bytes!("../../../tests/fixtures/keys/openssl-holder.p12");
        let certificate = key_store::open(p12, "Qoltanba2026").unwrap().certificate;
        let pem = to_pem(&certificate);
        let der = der::Encode::to_der(&certificate).unwrap();
        let exported = format!("Bag Attributes\n    localKeyID: 01\n{pem}");
        for bytes in [der.as_slice(), pem.as_bytes(), exported.as_bytes()] {
            assert_eq!(parse_certificate(bytes).unwrap(), certificate);
        }
        assert_eq!(common_name(&certificate).as_deref(), Some("TEST HOLDER"));
        assert!(parse_certificate(b"neither").is_err());
    }
}
