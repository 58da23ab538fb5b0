//! Argon2id for what people choose and the server checks but never keeps: operators'
//! passwords and Digital ID PINs. One place for the parameters (Argon2's defaults).
//! Both calls are slow by design: async callers run them with `spawn_blocking`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A PHC string (algorithm, parameters, random salt and hash).
pub fn hash(secret: &str) -> String {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("Argon2 with its default parameters hashes any input")
        .to_string()
}

/// Whether `secret` is the one `phc` was made from; a malformed `phc` matches nothing.
pub fn matches(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .and_then(|parsed| Argon2::default().verify_password(secret.as_bytes(), &parsed))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_verify_against_their_hash_only() {
        let phc = hash("demo-operator-2026");
        assert!(phc.starts_with("$argon2id$"));
        assert!(matches("demo-operator-2026", &phc));
        assert!(!matches("demo-operator-2025", &phc));
        assert!(!matches("demo-operator-2026", "not a PHC string"));
    }
}
