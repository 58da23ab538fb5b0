//! The installed key stores: one PKCS#12 file per key with its certificate and the CA
//! chain, PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) and an HMAC-SHA256 MAC, which
//! OpenSSL 3 opens without `-legacy`. Named and labelled like NCA's.

use der::Encode;
use p12_keystore::{KeyStore, KeyStoreEntry, Pkcs12ImportPolicy, PrivateKeyChain};
use p256::ecdsa::SigningKey;
use pkcs8::EncodePrivateKey;
use qoltanba_domain::{KeyPurpose, KeyStorePassword};
use x509_cert::Certificate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// PKCS#12 cannot tell a wrong password from a damaged file: the MAC fails either way.
    #[error("wrong password, or not a key store")]
    PasswordOrFile,
    #[error("the key store holds no P-256 key with its certificate")]
    NoKey,
}

/// A key store as opened in the page: the key, its certificate and the chain after it.
#[derive(Debug, Clone)]
pub struct Opened {
    pub key: SigningKey,
    pub certificate: Certificate,
    pub chain: Vec<Certificate>,
}

/// Opens a `.p12` with its password (the cabinet's sign-in, the key check). The key never
/// leaves the page: only what is signed with it does.
pub fn open(bytes: &[u8], password: &str) -> Result<Opened, OpenError> {
    use der::Decode;
    use pkcs8::DecodePrivateKey;
    let store = KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Strict)
        .map_err(|_| OpenError::PasswordOrFile)?;
    let (_, chain) = store.private_key_chain().ok_or(OpenError::NoKey)?;
    let key = SigningKey::from_pkcs8_der(chain.key().as_der()).map_err(|_| OpenError::NoKey)?;
    let mut certificates = chain
        .certs()
        .iter()
        .map(|c| Certificate::from_der(c.as_der()).map_err(|_| OpenError::NoKey));
    let certificate = certificates.next().ok_or(OpenError::NoKey)??;
    if !crate::certifies(&certificate, key.verifying_key()) {
        return Err(OpenError::NoKey);
    }
    Ok(Opened {
        key,
        certificate,
        chain: certificates.collect::<Result<_, _>>()?,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    #[error("the certificate is not for this key")]
    KeyMismatch,
    #[error("the certificate has no key identifier")]
    NoKeyId,
    #[error("the key store could not be written")]
    Write,
}

/// A key store ready to be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStoreFile {
    /// `AUTH_ECDSA256_<SKI>.p12` or `ECDSA256_<SKI>.p12`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The key store for `key` and its `certificate`, with `chain` (issuing CA first).
/// The Subject Key Identifier is its alias and local key id, as in NCA's files.
pub fn write(
    purpose: KeyPurpose,
    key: &SigningKey,
    certificate: &Certificate,
    chain: &[Certificate],
    password: &KeyStorePassword,
) -> Result<KeyStoreFile, KeyStoreError> {
    if !crate::certifies(certificate, key.verifying_key()) {
        return Err(KeyStoreError::KeyMismatch);
    }
    let ski = crate::subject_key_id(certificate).ok_or(KeyStoreError::NoKeyId)?;
    let alias = crate::hex_upper(&ski);
    let pkcs8 = key.to_pkcs8_der().map_err(|_| KeyStoreError::Write)?;
    let private_key =
        p12_keystore::PrivateKey::from_der(pkcs8.as_bytes()).map_err(|_| KeyStoreError::Write)?;
    let certificates = std::iter::once(certificate)
        .chain(chain)
        .map(|c| {
            let der = c.to_der().map_err(|_| KeyStoreError::Write)?;
            p12_keystore::Certificate::from_der(&der).map_err(|_| KeyStoreError::Write)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut store = KeyStore::new();
    store.add_entry(
        &alias,
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(ski, private_key, certificates)),
    );
    // The writer's defaults are the algorithms named above.
    let bytes = store
        .writer(password.expose())
        .write()
        .map_err(|_| KeyStoreError::Write)?;
    Ok(KeyStoreFile {
        name: purpose.file_name(&alias),
        bytes,
    })
}
