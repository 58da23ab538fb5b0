//! A pending private key at rest, between «Подать заявку» and the certificates'
//! installation: PKCS#8 encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) under a
//! random 256-bit secret. The browser keeps that secret only wrapped by a
//! non-extractable WebCrypto key, so a copy of the key folder opens nowhere else.
//!
//! A kiosk keeps nothing: there the key is sealed under a passphrase the applicant
//! sets, and goes with him on removable media, to be installed on his own computer.

use der::asn1::OctetString;
use der::pem::LineEnding;
use der::pem::PemLabel;
use p256::ecdsa::SigningKey;
use pkcs8::pkcs5::{self, pbes2};
use pkcs8::EncryptedPrivateKeyInfoOwned;
use pkcs8::{DecodePrivateKey, EncodePrivateKey, EncryptedPrivateKeyInfoRef, PrivateKeyInfoRef};

/// The secret is random, not a password: stretching it adds nothing, so PBKDF2 runs
/// a token number of rounds (PBES2 requires the KDF).
const ITERATIONS: u32 = 1_000;

pub const SECRET_LENGTH: usize = 32;

/// The PEM label of a sealed text (the key files say ENCRYPTED PRIVATE KEY).
const TEXT_LABEL: &str = "QOLTANBA SEALED TEXT";

/// A passphrase is guessable where a random secret is not: OWASP's 2023 figure for
/// PBKDF2-HMAC-SHA256.
const PASSPHRASE_ITERATIONS: u32 = 600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the system's random numbers are not available")]
    Random,
    #[error("the key could not be encrypted")]
    Encrypt,
    /// Wrong secret or not a sealed key: PBES2 cannot tell which.
    #[error("the key could not be opened")]
    Open,
}

/// A fresh random secret for one key.
pub fn new_secret() -> Result<[u8; SECRET_LENGTH], SealError> {
    let mut secret = [0u8; SECRET_LENGTH];
    getrandom::fill(&mut secret).map_err(|_| SealError::Random)?;
    Ok(secret)
}

/// `-----BEGIN ENCRYPTED PRIVATE KEY-----`, which OpenSSL also reads given the secret.
pub fn seal(key: &SigningKey, secret: &[u8]) -> Result<String, SealError> {
    seal_with(key, secret, ITERATIONS)
}

/// Sealed under the applicant's passphrase (a kiosk's carried keys); `open` takes the
/// passphrase's bytes, the iterations travel in the file.
pub fn seal_with_passphrase(key: &SigningKey, passphrase: &str) -> Result<String, SealError> {
    seal_with(key, passphrase.as_bytes(), PASSPHRASE_ITERATIONS)
}

fn seal_with(key: &SigningKey, secret: &[u8], iterations: u32) -> Result<String, SealError> {
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| SealError::Random)?;
    getrandom::fill(&mut iv).map_err(|_| SealError::Random)?;
    let params = pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(iterations, &salt, iv)
        .map_err(|_| SealError::Encrypt)?;
    let plain = key.to_pkcs8_der().map_err(|_| SealError::Encrypt)?;
    let sealed = PrivateKeyInfoRef::try_from(plain.as_bytes())
        .and_then(|info| info.encrypt_with_params(params, secret))
        .map_err(|_| SealError::Encrypt)?;
    let pem = sealed
        .to_pem(EncryptedPrivateKeyInfoRef::PEM_LABEL, LineEnding::LF)
        .map_err(|_| SealError::Encrypt)?;
    Ok(pem.to_string())
}

/// A short text (an application's request id) sealed under the passphrase, so that it
/// can go on the removable media with the carried keys.
pub fn seal_text_with_passphrase(text: &str, passphrase: &str) -> Result<String, SealError> {
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| SealError::Random)?;
    getrandom::fill(&mut iv).map_err(|_| SealError::Random)?;
    let scheme: pkcs5::EncryptionScheme =
        pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PASSPHRASE_ITERATIONS, &salt, iv)
            .map_err(|_| SealError::Encrypt)?
            .into();
    let sealed = EncryptedPrivateKeyInfoOwned {
        encrypted_data: OctetString::new(
            scheme
                .encrypt(passphrase, text.as_bytes())
                .map_err(|_| SealError::Encrypt)?,
        )
        .map_err(|_| SealError::Encrypt)?,
        encryption_algorithm: scheme,
    };
    let der = der::Encode::to_der(&sealed).map_err(|_| SealError::Encrypt)?;
    der::pem::encode_string(TEXT_LABEL, LineEnding::LF, &der).map_err(|_| SealError::Encrypt)
}

pub fn open_text(pem: &str, passphrase: &[u8]) -> Result<String, SealError> {
    let (label, der) = der::pem::decode_vec(pem.as_bytes()).map_err(|_| SealError::Open)?;
    if label != TEXT_LABEL {
        return Err(SealError::Open);
    }
    let sealed: EncryptedPrivateKeyInfoRef<'_> =
        der::Decode::from_der(&der).map_err(|_| SealError::Open)?;
    let plain = sealed
        .encryption_algorithm
        .decrypt(passphrase, sealed.encrypted_data.as_bytes())
        .map_err(|_| SealError::Open)?;
    String::from_utf8(plain).map_err(|_| SealError::Open)
}

pub fn open(pem: &str, secret: &[u8]) -> Result<SigningKey, SealError> {
    SigningKey::from_pkcs8_encrypted_pem(pem, secret).map_err(|_| SealError::Open)
}

#[cfg(test)]
mod tests {
    use p256::elliptic_curve::Generate;

    use super::*;

    #[test]
    fn only_the_right_secret_opens_the_key() {
        let key = SigningKey::generate();
        let secret = new_secret().unwrap();
        let pem = seal(&key, &secret).unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assert_eq!(open(&pem, &secret).unwrap(), key);
        let other = new_secret().unwrap();
        assert_eq!(open(&pem, &other), Err(SealError::Open));
        assert_eq!(open("garbage", &secret), Err(SealError::Open));
    }

    #[test]
    fn a_carried_key_opens_with_its_passphrase_only() {
        let key = SigningKey::generate();
        let pem = seal_with_passphrase(&key, "Flesh2026kiosk").unwrap();
        assert_eq!(open(&pem, b"Flesh2026kiosk").unwrap(), key);
        assert_eq!(open(&pem, b"flesh2026kiosk"), Err(SealError::Open));
        let text = seal_text_with_passphrase("request-id-42", "Flesh2026kiosk").unwrap();
        assert_eq!(
            open_text(&text, b"Flesh2026kiosk").unwrap(),
            "request-id-42"
        );
        assert_eq!(open_text(&text, b"Other2026kiosk"), Err(SealError::Open));
        assert_eq!(open_text(&pem, b"Flesh2026kiosk"), Err(SealError::Open));
    }
}
