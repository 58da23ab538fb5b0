//! «Сертификаты установлены»: the browser proves that the key stores were made where
//! the keys are by signing the application's number with the new authentication key;
//! the server checks it against the issued certificate.

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use qoltanba_domain::ApplicationNumber;

/// Bound to its purpose, so that no other signature by the key can pass for it.
fn message(number: &ApplicationNumber) -> Vec<u8> {
    format!("qoltanba:certificates-installed:{number}").into_bytes()
}

/// The proof, as hex of a DER ECDSA signature.
pub fn sign(key: &SigningKey, number: &ApplicationNumber) -> String {
    let signature: DerSignature = key.sign(&message(number));
    hex::encode(signature.as_bytes())
}

pub fn verify(key: &VerifyingKey, number: &ApplicationNumber, proof: &str) -> bool {
    hex::decode(proof)
        .ok()
        .and_then(|bytes| DerSignature::try_from(bytes.as_slice()).ok())
        .is_some_and(|signature| key.verify(&message(number), &signature).is_ok())
}

#[cfg(test)]
mod tests {
    use p256::elliptic_curve::Generate;

    use super::*;

    #[test]
    fn only_the_key_and_the_number_signed_pass() {
        let key = SigningKey::generate();
        let number = ApplicationNumber::parse("27888601100404").unwrap();
        let other = ApplicationNumber::parse("73717378150611").unwrap();
        let proof = sign(&key, &number);
        assert!(verify(key.verifying_key(), &number, &proof));
        assert!(!verify(key.verifying_key(), &other, &proof));
        assert!(!verify(
            SigningKey::generate().verifying_key(),
            &number,
            &proof
        ));
        assert!(!verify(key.verifying_key(), &number, "zz"));
        assert!(!verify(key.verifying_key(), &number, ""));
    }
}
