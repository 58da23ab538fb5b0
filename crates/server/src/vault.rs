//! Biometrics and document photos at rest: AES-256-GCM under a key derived from the
//! server's secret, which lives in its own file, not in the database. A copy of the
//! database alone shows no face and no document.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;

use crate::secret::ServerSecret;

const NONCE: usize = 12;

#[derive(Debug, thiserror::Error)]
#[error("a sealed record does not open: wrong key, or not the record it claims to be")]
pub struct VaultError;

#[derive(Clone)]
pub struct Vault(Aes256Gcm);

impl Vault {
    /// Its own key, so the MAC key of one-time codes and this one never coincide.
    pub fn new(secret: &ServerSecret) -> Self {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(None, secret.as_bytes())
            .expand(b"qoltanba media v1", &mut key)
            .expect("32 bytes is a valid HKDF length");
        Self(Aes256Gcm::new(&key.into()))
    }

    /// `context` names the record (e.g. `selfie:<session>`), so a sealed value moved
    /// to another row does not open there.
    pub fn seal(&self, plain: &[u8], context: &str) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .0
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM seals any length a request can carry");
        [nonce.as_slice(), &sealed].concat()
    }

    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, VaultError> {
        if sealed.len() < NONCE {
            return Err(VaultError);
        }
        let (nonce, body) = sealed.split_at(NONCE);
        self.0
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| VaultError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Vault {
        let dir = tempfile::tempdir().unwrap();
        Vault::new(&ServerSecret::load_or_create(dir.path()).unwrap())
    }

    #[test]
    fn sealed_opens_only_in_its_context_and_under_its_key() {
        let vault = vault();
        let sealed = vault.seal(b"face", "selfie:a");
        assert!(!sealed.windows(4).any(|w| w == b"face"));
        assert_eq!(vault.open(&sealed, "selfie:a").unwrap(), b"face");
        assert!(vault.open(&sealed, "selfie:b").is_err());
        assert!(self::vault().open(&sealed, "selfie:a").is_err());
        assert!(vault.open(&sealed[..5], "selfie:a").is_err());
    }
}
