//! Proofs that the browser holds a key: a statement signed with it. Each statement
//! names what it is for, so that no signature made for one can pass for another:
//! «Сертификаты установлены» (the application's number signed with the new
//! authentication key), the cabinet's sign-in (the server's fresh challenge) and the
//! first head's decision (with his signing key).

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use qoltanba_domain::ApplicationNumber;

/// What is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statement<'a> {
    /// The key stores were written where the keys are.
    Installed(&'a ApplicationNumber),
    /// The holder signs in to the cabinet with the server's one-time challenge.
    SignIn { challenge: &'a str },
    /// The first head's decision, `qoltanba_domain::decision::Decision::canonical`
    /// (which names itself).
    Decision(&'a str),
    /// A revocation, `qoltanba_domain::revocation::canonical`.
    Revocation(&'a str),
}

impl Statement<'_> {
    fn bytes(self) -> Vec<u8> {
        match self {
            Self::Installed(number) => format!("qoltanba:certificates-installed:{number}"),
            Self::SignIn { challenge } => format!("qoltanba:cabinet-sign-in:{challenge}"),
            Self::Decision(canonical) | Self::Revocation(canonical) => canonical.to_owned(),
        }
        .into_bytes()
    }
}

/// The proof, as hex of a DER ECDSA signature.
pub fn sign(key: &SigningKey, statement: Statement<'_>) -> String {
    let signature: DerSignature = key.sign(&statement.bytes());
    hex::encode(signature.as_bytes())
}

pub fn verify(key: &VerifyingKey, statement: Statement<'_>, proof: &str) -> bool {
    hex::decode(proof)
        .ok()
        .and_then(|bytes| DerSignature::try_from(bytes.as_slice()).ok())
        .is_some_and(|signature| key.verify(&statement.bytes(), &signature).is_ok())
}

#[cfg(test)]
mod tests {
    use p256::elliptic_curve::Generate;

    use super::*;

    #[test]
    fn only_the_key_and_the_statement_signed_pass() {
        let key = SigningKey::generate();
        let number = ApplicationNumber::parse("27888601100404").unwrap();
        let other = ApplicationNumber::parse("73717378150611").unwrap();
        let installed = Statement::Installed(&number);
        let proof = sign(&key, installed);
        assert!(verify(key.verifying_key(), installed, &proof));
        assert!(!verify(
            key.verifying_key(),
            Statement::Installed(&other),
            &proof
        ));
        assert!(!verify(
            SigningKey::generate().verifying_key(),
            installed,
            &proof
        ));
        assert!(!verify(key.verifying_key(), installed, "zz"));
        assert!(!verify(key.verifying_key(), installed, ""));
        // A statement of another kind with the same text is another statement.
        let challenge = Statement::SignIn {
            challenge: number.as_str(),
        };
        assert!(!verify(key.verifying_key(), challenge, &proof));
        assert!(verify(
            key.verifying_key(),
            challenge,
            &sign(&key, challenge)
        ));
    }
}
