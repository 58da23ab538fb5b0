//! The OCSP responder (RFC 6960) at `OCSP_PATH`, the address in the holders'
//! certificates' AIA. The issuing CA signs the answers with its own key, so relying
//! parties need no delegated responder certificate.
//!
//! The few RFC 6960 structures are written here with der's derives: RustCrypto's
//! `x509-ocsp` has them, but it is built on der 0.7 and x509-cert 0.2, the generation
//! before the one this CA uses, and the two generations' types do not mix.

use std::future::Future;
use std::time::SystemTime;

use const_oid::db::rfc5912::{ID_SHA_1, ID_SHA_256};
use const_oid::db::rfc6960::{ID_PKIX_OCSP_BASIC, ID_PKIX_OCSP_NONCE};
use const_oid::ObjectIdentifier;
use der::asn1::{Any, BitString, GeneralizedTime, Null, OctetString};
use der::referenced::OwnedToRef;
use der::{Choice, Decode, Encode, Enumerated, Sequence};
use p384::ecdsa::DerSignature;
use qoltanba_domain::revocation::RevocationReason;
use signature::Signer;
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier};
use time::{Duration, OffsetDateTime};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{CrlReason, SubjectKeyIdentifier};
use x509_cert::ext::{Extension, Extensions};
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use super::{crl_reason, Authority, CaError};

/// Relying parties may keep an answer this long (`nextUpdate`).
const ANSWER_VALIDITY: Duration = Duration::hours(1);

/// What the registration authority's records say of a serial of our issuing CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateStatus {
    Issued,
    Revoked {
        at: OffsetDateTime,
        /// Revocations recorded before reasons were kept have none.
        reason: Option<RevocationReason>,
    },
    /// Never issued by us.
    Unknown,
}

#[derive(Debug, thiserror::Error)]
pub enum OcspError<E: std::error::Error + 'static> {
    #[error("not an OCSP request this responder reads")]
    Malformed,
    #[error("cannot look up a certificate's status: {0}")]
    Lookup(#[source] E),
    #[error(transparent)]
    Ca(#[from] CaError),
}

/// `OCSPRequest`. A signature on it is read past: requests need not be signed.
#[derive(Sequence)]
struct OcspRequest {
    tbs_request: TbsRequest,
    #[asn1(context_specific = "0", optional = "true")]
    optional_signature: Option<Any>,
}

#[derive(Sequence)]
struct TbsRequest {
    /// v1 (0) is the only version.
    #[asn1(context_specific = "0", default = "Default::default")]
    version: u8,
    #[asn1(context_specific = "1", optional = "true")]
    requestor_name: Option<GeneralName>,
    request_list: Vec<Request>,
    #[asn1(context_specific = "2", optional = "true")]
    request_extensions: Option<Extensions>,
}

#[derive(Sequence)]
struct Request {
    req_cert: CertId,
    #[asn1(context_specific = "0", optional = "true")]
    single_request_extensions: Option<Extensions>,
}

/// Which certificate: its issuer's name and key by a hash, and its serial. Answered
/// back as it came.
#[derive(Clone, Sequence)]
struct CertId {
    hash_algorithm: AlgorithmIdentifierOwned,
    issuer_name_hash: OctetString,
    issuer_key_hash: OctetString,
    serial_number: SerialNumber,
}

#[derive(Sequence)]
struct OcspResponse {
    response_status: ResponseStatus,
    #[asn1(context_specific = "0", optional = "true")]
    response_bytes: Option<ResponseBytes>,
}

/// The `OCSPResponseStatus` values this responder gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[repr(u8)]
pub enum ResponseStatus {
    Successful = 0,
    MalformedRequest = 1,
    InternalError = 2,
}

#[derive(Sequence)]
struct ResponseBytes {
    response_type: ObjectIdentifier,
    response: OctetString,
}

#[derive(Sequence)]
struct BasicOcspResponse {
    tbs_response_data: ResponseData,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    /// The issuing CA's certificate, so that a relying party finds the signer without
    /// fetching it.
    #[asn1(context_specific = "0", optional = "true")]
    certs: Option<Vec<Certificate>>,
}

/// `ResponseData` as this responder writes it: version v1 (the default, so absent) and
/// the responder named `byKey`.
#[derive(Sequence)]
struct ResponseData {
    /// `ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }`: always byKey,
    /// the SHA-1 of the issuing CA's public key, as in its SKI.
    #[asn1(context_specific = "2")]
    responder_id: OctetString,
    produced_at: GeneralizedTime,
    responses: Vec<SingleResponse>,
    #[asn1(context_specific = "1", optional = "true")]
    response_extensions: Option<Extensions>,
}

/// A certificate's answer; no per-certificate extensions are written.
#[derive(Sequence)]
struct SingleResponse {
    cert_id: CertId,
    cert_status: CertStatus,
    this_update: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true")]
    next_update: Option<GeneralizedTime>,
}

#[derive(Choice)]
enum CertStatus {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

#[derive(Sequence)]
struct RevokedInfo {
    revocation_time: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true")]
    revocation_reason: Option<CrlReason>,
}

/// An `OCSPResponse` without a signed answer: `status` says why.
pub fn refusal(status: ResponseStatus) -> Vec<u8> {
    OcspResponse {
        response_status: status,
        response_bytes: None,
    }
    .to_der()
    .expect("an ENUMERATED encodes")
}

fn generalized(at: OffsetDateTime) -> Result<GeneralizedTime, CaError> {
    Ok(GeneralizedTime::from_system_time(SystemTime::from(at))?)
}

/// The hash a CertID names its issuer by, for the algorithms relying parties use.
fn digest(algorithm: &AlgorithmIdentifierOwned, data: &[u8]) -> Option<Vec<u8>> {
    match algorithm.oid {
        ID_SHA_1 => Some(<sha1::Sha1 as sha1::Digest>::digest(data).to_vec()),
        ID_SHA_256 => Some(<sha2::Sha256 as sha2::Digest>::digest(data).to_vec()),
        _ => None,
    }
}

impl Authority {
    /// Whether the CertID names our issuing CA by its name and key hashes.
    fn is_issuer_of(&self, id: &CertId) -> Result<bool, CaError> {
        let issuing = self.issuing.tbs_certificate();
        let name = issuing.subject().to_der()?;
        let key = issuing
            .subject_public_key_info()
            .subject_public_key
            .raw_bytes();
        Ok(
            digest(&id.hash_algorithm, &name).as_deref() == Some(id.issuer_name_hash.as_bytes())
                && digest(&id.hash_algorithm, key).as_deref()
                    == Some(id.issuer_key_hash.as_bytes()),
        )
    }

    /// The signed answer (an `OCSPResponse`, DER) to the OCSP request `der`. `status`
    /// looks up a serial of ours (upper-case hex); certificates of other issuers are
    /// "unknown" without a look-up.
    pub async fn ocsp<E, F>(
        &self,
        der: &[u8],
        status: impl Fn(String) -> F,
        now: OffsetDateTime,
    ) -> Result<Vec<u8>, OcspError<E>>
    where
        E: std::error::Error + 'static,
        F: Future<Output = Result<CertificateStatus, E>>,
    {
        let request = OcspRequest::from_der(der).map_err(|_| OcspError::Malformed)?;
        let tbs = request.tbs_request;
        if tbs.version != 0 || tbs.request_list.is_empty() {
            return Err(OcspError::Malformed);
        }
        let mut answers = Vec::with_capacity(tbs.request_list.len());
        for Request { req_cert, .. } in tbs.request_list {
            let found = if self.is_issuer_of(&req_cert)? {
                let serial = qoltanba_pki::hex_upper(req_cert.serial_number.as_bytes());
                status(serial).await.map_err(OcspError::Lookup)?
            } else {
                CertificateStatus::Unknown
            };
            answers.push((req_cert, found));
        }
        // The nonce goes back as it came, so the client can match it byte for byte.
        let nonce: Vec<Extension> = tbs
            .request_extensions
            .into_iter()
            .flatten()
            .filter(|e| e.extn_id == ID_PKIX_OCSP_NONCE)
            .collect();
        Ok(self.signed_ocsp_response(answers, nonce, now)?)
    }

    fn signed_ocsp_response(
        &self,
        answers: Vec<(CertId, CertificateStatus)>,
        nonce: Vec<Extension>,
        now: OffsetDateTime,
    ) -> Result<Vec<u8>, CaError> {
        let this_update = generalized(now)?;
        let next_update = Some(generalized(now + ANSWER_VALIDITY)?);
        let responses = answers
            .into_iter()
            .map(|(cert_id, status)| {
                let cert_status = match status {
                    CertificateStatus::Issued => CertStatus::Good(Null),
                    CertificateStatus::Revoked { at, reason } => CertStatus::Revoked(RevokedInfo {
                        revocation_time: generalized(at)?,
                        revocation_reason: reason.map(crl_reason),
                    }),
                    CertificateStatus::Unknown => CertStatus::Unknown(Null),
                };
                Ok(SingleResponse {
                    cert_id,
                    cert_status,
                    this_update,
                    next_update,
                })
            })
            .collect::<Result<Vec<_>, CaError>>()?;
        let issuing = self.issuing.tbs_certificate();
        let key_id =
            SubjectKeyIdentifier::try_from(issuing.subject_public_key_info().owned_to_ref())?;
        let data = ResponseData {
            responder_id: key_id.0,
            produced_at: this_update,
            responses,
            response_extensions: (!nonce.is_empty()).then_some(nonce),
        };
        let signature: DerSignature = self.issuing_key.sign(&data.to_der()?);
        let basic = BasicOcspResponse {
            tbs_response_data: data,
            signature_algorithm: self
                .issuing_key
                .signature_algorithm_identifier()
                .map_err(|e| CaError::Build(e.into()))?,
            signature: BitString::from_bytes(signature.as_bytes())?,
            certs: Some(vec![self.issuing.clone()]),
        };
        Ok(OcspResponse {
            response_status: ResponseStatus::Successful,
            response_bytes: Some(ResponseBytes {
                response_type: ID_PKIX_OCSP_BASIC,
                response: OctetString::new(basic.to_der()?)?,
            }),
        }
        .to_der()?)
    }
}
