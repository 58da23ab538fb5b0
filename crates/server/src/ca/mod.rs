//! The certification authority: a root and an issuing CA (P-384), made at first start
//! and kept in the data folder, that issue the holders' certificates, and the issuing
//! CA's revocation list and OCSP responder.

mod holder;
pub mod ocsp;
mod profile;
#[cfg(test)]
mod tests;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use der::pem::LineEnding;
use der::{DecodePem, Encode, EncodePem};
use p384::ecdsa::{DerSignature, SigningKey};
use p384::elliptic_curve::Generate;
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use qoltanba_domain::revocation::RevocationReason;
use qoltanba_domain::{CertificateProfile, KeyPurpose};
use signature::Signer;
use spki::{DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoOwned};
use time::{Duration, OffsetDateTime};
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber, CrlReason, SubjectKeyIdentifier};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

pub use holder::{
    attribute as subject_attribute, purpose_of, template_of, CertifiedHolder, HolderCheckError,
};
pub use ocsp::CertificateStatus;
pub use x509_cert::serial_number::SerialNumber as Serial;

/// The holders' certificates live a year (`domain.md`); the CAs outlive them.
pub const HOLDER_VALIDITY: Duration = Duration::days(365);
const ISSUING_VALIDITY: Duration = Duration::days(10 * 365);
const ROOT_VALIDITY: Duration = Duration::days(20 * 365);
/// A CRL is made on each request; relying parties may cache it this long.
const CRL_VALIDITY: Duration = Duration::days(1);

const ROOT_SUBJECT: &str = "CN=Qoltanba Root CA,O=Qoltanba,C=KZ";
const ISSUING_SUBJECT: &str = "CN=Qoltanba Issuing CA,O=Qoltanba,C=KZ";

/// Where relying parties find the CRL, the OCSP responder and the issuing CA's
/// certificate; the same paths are served by `api::pki`.
pub const CRL_PATH: &str = "/pki/issuing.crl";
pub const OCSP_PATH: &str = "/pki/ocsp";
pub const ISSUING_CERTIFICATE_PATH: &str = "/pki/issuing.crt";
pub const CHAIN_PATH: &str = "/pki/ca.pem";

#[derive(Debug, thiserror::Error)]
pub enum CaError {
    #[error("cannot read or write the CA files: {0}")]
    Io(#[from] io::Error),
    #[error("a CA file is damaged, or the passphrase is wrong: {0}")]
    Damaged(PathBuf),
    #[error("cannot build a certificate: {0}")]
    Build(#[from] x509_cert::builder::Error),
    #[error("cannot encode: {0}")]
    Der(#[from] der::Error),
}

pub struct Authority {
    root: Certificate,
    issuing: Certificate,
    issuing_key: SigningKey,
    crl_url: String,
    ocsp_url: String,
    ca_issuers_url: String,
}

/// The files of one CA: its key (PKCS#8, encrypted when a passphrase is given) and
/// its certificate.
struct CaFiles {
    key: PathBuf,
    certificate: PathBuf,
}

impl CaFiles {
    fn new(dir: &Path, name: &str) -> Self {
        Self {
            key: dir.join(format!("{name}.key.pem")),
            certificate: dir.join(format!("{name}.crt.pem")),
        }
    }

    fn load(&self, passphrase: Option<&str>) -> Result<Option<(SigningKey, Certificate)>, CaError> {
        let (key, certificate) = match (
            fs::read_to_string(&self.key),
            fs::read_to_string(&self.certificate),
        ) {
            (Ok(key), Ok(certificate)) => (key, certificate),
            (Err(e), _) | (_, Err(e)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        };
        let key = match passphrase {
            Some(p) => SigningKey::from_pkcs8_encrypted_pem(&key, p),
            None => SigningKey::from_pkcs8_pem(&key),
        }
        .map_err(|_| CaError::Damaged(self.key.clone()))?;
        let certificate = Certificate::from_pem(certificate.as_bytes())
            .map_err(|_| CaError::Damaged(self.certificate.clone()))?;
        Ok(Some((key, certificate)))
    }

    fn save(
        &self,
        key: &SigningKey,
        certificate: &Certificate,
        passphrase: Option<&str>,
    ) -> Result<(), CaError> {
        let key = match passphrase {
            Some(p) => key.to_pkcs8_encrypted_pem(p, LineEnding::LF),
            None => key.to_pkcs8_pem(LineEnding::LF),
        }
        .map_err(|_| CaError::Damaged(self.key.clone()))?;
        write_private(&self.key, key.as_bytes())?;
        fs::write(&self.certificate, certificate.to_pem(LineEnding::LF)?)?;
        Ok(())
    }
}

/// Only the server's user may read a CA key.
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

fn time(at: OffsetDateTime) -> Result<Time, CaError> {
    Ok(Time::try_from(SystemTime::from(at))?)
}

fn validity(from: OffsetDateTime, length: Duration) -> Result<Validity, CaError> {
    Ok(Validity::new(time(from)?, time(from + length)?))
}

/// 128 random bits, the top one clear so that the INTEGER stays positive in 16 bytes.
fn random_serial() -> Result<SerialNumber, CaError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
    bytes[0] &= 0x7f;
    Ok(SerialNumber::new(&bytes)?)
}

fn name(dn: &str) -> Name {
    dn.parse().expect("the CA names are well formed")
}

fn spki(key: &SigningKey) -> Result<SubjectPublicKeyInfoOwned, CaError> {
    SubjectPublicKeyInfoOwned::from_key(key.verifying_key()).map_err(|e| CaError::Build(e.into()))
}

impl Authority {
    /// The CA in `dir`, made there (root, then issuing CA) if it is not there yet.
    /// `base_url` is this server's public address, for the CRL and AIA links.
    pub fn load_or_create(
        dir: &Path,
        passphrase: Option<&str>,
        base_url: &str,
    ) -> Result<Self, CaError> {
        create_private_dir(dir)?;
        let root_files = CaFiles::new(dir, "root");
        let issuing_files = CaFiles::new(dir, "issuing");
        let now = OffsetDateTime::now_utc();
        let (root_key, root) = match root_files.load(passphrase)? {
            Some(loaded) => loaded,
            None => {
                let key = SigningKey::generate();
                let profile = profile::Profile {
                    subject: name(ROOT_SUBJECT),
                    issuer: None,
                    kind: profile::Kind::Root,
                };
                let certificate = CertificateBuilder::new(
                    profile,
                    random_serial()?,
                    validity(now, ROOT_VALIDITY)?,
                    spki(&key)?,
                )?
                .build::<_, DerSignature>(&key)?;
                root_files.save(&key, &certificate, passphrase)?;
                (key, certificate)
            }
        };
        let (issuing_key, issuing) = match issuing_files.load(passphrase)? {
            Some(loaded) => loaded,
            None => {
                let key = SigningKey::generate();
                let profile = profile::Profile {
                    subject: name(ISSUING_SUBJECT),
                    issuer: Some(root.tbs_certificate().subject().clone()),
                    kind: profile::Kind::Issuing,
                };
                let certificate = CertificateBuilder::new(
                    profile,
                    random_serial()?,
                    validity(now, ISSUING_VALIDITY)?,
                    spki(&key)?,
                )?
                .build::<_, DerSignature>(&root_key)?;
                issuing_files.save(&key, &certificate, passphrase)?;
                (key, certificate)
            }
        };
        let base = base_url.trim_end_matches('/');
        Ok(Self {
            root,
            issuing,
            issuing_key,
            crl_url: format!("{base}{CRL_PATH}"),
            ocsp_url: format!("{base}{OCSP_PATH}"),
            ca_issuers_url: format!("{base}{ISSUING_CERTIFICATE_PATH}"),
        })
    }

    /// A holder's certificate for `key`, valid for a year from `now`.
    pub fn issue(
        &self,
        subject: Name,
        key: &p256::ecdsa::VerifyingKey,
        purpose: KeyPurpose,
        profile: CertificateProfile,
        now: OffsetDateTime,
    ) -> Result<Certificate, CaError> {
        let spki =
            SubjectPublicKeyInfoOwned::from_key(key).map_err(|e| CaError::Build(e.into()))?;
        let profile = profile::Profile {
            subject,
            issuer: Some(self.issuing.tbs_certificate().subject().clone()),
            kind: profile::Kind::Holder(profile::Holder {
                purpose,
                profile,
                crl_url: self.crl_url.clone(),
                ocsp_url: self.ocsp_url.clone(),
                ca_issuers_url: self.ca_issuers_url.clone(),
            }),
        };
        Ok(CertificateBuilder::new(
            profile,
            random_serial()?,
            validity(now, HOLDER_VALIDITY)?,
            spki,
        )?
        .build::<_, DerSignature>(&self.issuing_key)?)
    }

    /// Issuing CA first, then the root: the order a key store carries them in.
    pub fn chain(&self) -> [&Certificate; 2] {
        [&self.issuing, &self.root]
    }

    pub fn chain_pem(&self) -> Result<String, CaError> {
        let mut pem = String::new();
        for certificate in self.chain() {
            pem.push_str(&certificate.to_pem(LineEnding::LF)?);
        }
        Ok(pem)
    }

    pub fn issuing_der(&self) -> Result<Vec<u8>, CaError> {
        Ok(self.issuing.to_der()?)
    }

    /// The issuing CA's CRL (DER) with `revoked` serials. Assembled here rather than
    /// with x509-cert's `CrlBuilder`, which copies the issuer certificate's own AKI
    /// (the root's key id) into the CRL, so OpenSSL cannot match it to its signer.
    pub fn crl(
        &self,
        revoked: &[(SerialNumber, OffsetDateTime, Option<RevocationReason>)],
        number: u64,
        now: OffsetDateTime,
    ) -> Result<Vec<u8>, CaError> {
        let ski = SubjectKeyIdentifier::try_from(
            self.issuing
                .tbs_certificate()
                .subject_public_key_info()
                .owned_to_ref(),
        )?;
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(ski.0),
            ..Default::default()
        };
        let extensions = vec![
            Extension {
                extn_id: <CrlNumber as const_oid::AssociatedOid>::OID,
                critical: false,
                extn_value: der::asn1::OctetString::new(
                    CrlNumber::from(der::asn1::Uint::new(&number.to_be_bytes())?).to_der()?,
                )?,
            },
            Extension {
                extn_id: <AuthorityKeyIdentifier as const_oid::AssociatedOid>::OID,
                critical: false,
                extn_value: der::asn1::OctetString::new(aki.to_der()?)?,
            },
        ];
        let revoked = revoked
            .iter()
            .map(|(serial, at, reason)| {
                let reason = reason
                    .map(|reason| {
                        let value = crl_reason(reason);
                        Ok::<_, CaError>(vec![Extension {
                            extn_id: <CrlReason as const_oid::AssociatedOid>::OID,
                            critical: false,
                            extn_value: der::asn1::OctetString::new(value.to_der()?)?,
                        }])
                    })
                    .transpose()?;
                Ok(RevokedCert {
                    serial_number: serial.clone(),
                    revocation_date: time(*at)?,
                    crl_entry_extensions: reason,
                })
            })
            .collect::<Result<Vec<_>, CaError>>()?;
        let tbs = TbsCertList {
            version: x509_cert::certificate::Version::V2,
            signature: self
                .issuing_key
                .signature_algorithm_identifier()
                .map_err(|e| CaError::Build(e.into()))?,
            issuer: self.issuing.tbs_certificate().subject().clone(),
            this_update: time(now)?,
            next_update: Some(time(now + CRL_VALIDITY)?),
            revoked_certificates: (!revoked.is_empty()).then_some(revoked),
            crl_extensions: Some(extensions),
        };
        let signature: DerSignature = self.issuing_key.sign(&tbs.to_der()?);
        let crl = CertificateList {
            signature_algorithm: tbs.signature.clone(),
            tbs_cert_list: tbs,
            signature: der::asn1::BitString::from_bytes(signature.as_bytes())?,
        };
        Ok(crl.to_der()?)
    }
}

/// The holder's reason as the CRL and OCSP write it.
fn crl_reason(reason: RevocationReason) -> CrlReason {
    match reason {
        RevocationReason::KeyCompromise => CrlReason::KeyCompromise,
        RevocationReason::AffiliationChanged => CrlReason::AffiliationChanged,
        RevocationReason::Superseded => CrlReason::Superseded,
        RevocationReason::CessationOfOperation => CrlReason::CessationOfOperation,
    }
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

use der::referenced::OwnedToRef;
