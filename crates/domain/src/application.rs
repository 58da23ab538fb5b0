//! «Данные онлайн заявки» (step 23): what the applicant adds to the registries' data —
//! an optional e-mail and, for «Участник ИС Казначейство-Клиент», the treasury details —
//! and the two key pairs every application asks certificates for.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::newtype::string_newtype;
use crate::template::oid;
use crate::template::ApplicantKind;

/// RFC 5321's limit on a whole address.
pub const EMAIL_MAX_LENGTH: usize = 254;

/// An e-mail address for notices about the keys. It goes into the certificate as an
/// IA5String, so it is ASCII; beyond that, one `@` with a dotted domain is all we ask:
/// stricter checks refuse real addresses, and the notices prove delivery anyway.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an e-mail address is at most 254 characters")]
    TooLong,
    #[error("an e-mail address has Latin letters, digits and signs only, without spaces")]
    Character,
    #[error("an e-mail address looks like name@example.kz")]
    Shape,
}

impl EmailError {
    pub const ALL: [Self; 3] = [Self::TooLong, Self::Character, Self::Shape];
}

impl ErrorCode for EmailError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLong => "email.too_long",
            Self::Character => "email.character",
            Self::Shape => "email.shape",
        }
    }
}

impl Email {
    pub fn parse(s: &str) -> Result<Self, EmailError> {
        let s = s.trim();
        if s.len() > EMAIL_MAX_LENGTH {
            return Err(EmailError::TooLong);
        }
        if !s.chars().all(|c| c.is_ascii_graphic()) {
            return Err(EmailError::Character);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::Shape)?;
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(EmailError::Shape);
        }
        Ok(Self(s.to_owned()))
    }
}

string_newtype!(Email, EmailError);

/// The applicant's role in the treasury system. The guide only says the role is asked;
/// these are the signature rights the treasury's payment documents carry (not
/// confirmed with the treasury: change them here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TreasuryRole {
    /// The first signature: the head of the institution.
    FirstSignature,
    /// The second signature: the chief accountant.
    SecondSignature,
    /// Prepares documents without signing them.
    Operator,
}

impl TreasuryRole {
    pub const ALL: [Self; 3] = [Self::FirstSignature, Self::SecondSignature, Self::Operator];

    pub fn code(self) -> &'static str {
        match self {
            Self::FirstSignature => "first_signature",
            Self::SecondSignature => "second_signature",
            Self::Operator => "operator",
        }
    }
}

/// The state institution's code in the treasury system. Its format is not published;
/// we take 8 digits, the length of the codes in the treasury's public registers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InstitutionCode(String);

pub const INSTITUTION_CODE_LENGTH: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InstitutionCodeError {
    #[error("an institution code has digits only")]
    NotDigits,
    #[error("an institution code has 8 digits")]
    Length,
}

impl InstitutionCodeError {
    pub const ALL: [Self; 2] = [Self::NotDigits, Self::Length];
}

impl ErrorCode for InstitutionCodeError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "institution_code.not_digits",
            Self::Length => "institution_code.length",
        }
    }
}

impl InstitutionCode {
    pub fn parse(s: &str) -> Result<Self, InstitutionCodeError> {
        let s = s.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            Err(InstitutionCodeError::NotDigits)
        } else if s.len() != INSTITUTION_CODE_LENGTH {
            Err(InstitutionCodeError::Length)
        } else {
            Ok(Self(s.to_owned()))
        }
    }
}

string_newtype!(InstitutionCode, InstitutionCodeError);

/// What the Treasury-Client template asks besides the registries' data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TreasuryDetails {
    pub role: TreasuryRole,
    pub institution_code: InstitutionCode,
}

/// The two key pairs of an application, one certificate each (`domain.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyPurpose {
    /// Signs in to services (TLS client, the head's cabinet).
    Authentication,
    /// Signs documents.
    Signing,
}

/// `<ALG>` of NCA's file names: our keys are ECDSA on P-256.
pub const KEY_ALGORITHM_NAME: &str = "ECDSA256";

impl KeyPurpose {
    pub const ALL: [Self; 2] = [Self::Authentication, Self::Signing];

    pub fn code(self) -> &'static str {
        match self {
            Self::Authentication => "authentication",
            Self::Signing => "signing",
        }
    }

    /// The certificate policy for this key and kind of applicant.
    pub fn policy_oid(self, kind: ApplicantKind) -> &'static str {
        match (self, kind) {
            (Self::Authentication, ApplicantKind::LegalEntity) => oid::POLICY_AUTH_LEGAL_ENTITY,
            (Self::Signing, ApplicantKind::LegalEntity) => oid::POLICY_SIGN_LEGAL_ENTITY,
            (Self::Authentication, ApplicantKind::Individual) => oid::POLICY_AUTH_INDIVIDUAL,
            (Self::Signing, ApplicantKind::Individual) => oid::POLICY_SIGN_INDIVIDUAL,
        }
    }

    /// NCA's key store names: `AUTH_ECDSA256_<SKI>.p12` and `ECDSA256_<SKI>.p12`, the
    /// Subject Key Identifier in upper-case hex.
    pub fn file_name(self, ski_hex: &str) -> String {
        format!("{}.p12", self.file_stem(ski_hex))
    }

    /// The sealed pending key beside it until the key store is written:
    /// `AUTH_ECDSA256_<SKI>.key`. The key's identifier is known before its certificate.
    pub fn pending_file_name(self, ski_hex: &str) -> String {
        format!("{}.key", self.file_stem(ski_hex))
    }

    fn file_stem(self, ski_hex: &str) -> String {
        let ski = ski_hex.to_ascii_uppercase();
        match self {
            Self::Authentication => format!("AUTH_{KEY_ALGORITHM_NAME}_{ski}"),
            Self::Signing => format!("{KEY_ALGORITHM_NAME}_{ski}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.kz", "ivanov.ivan+eds@mail.example.kz", " x@y.com "] {
            assert_eq!(Email::parse(ok).unwrap().as_str(), ok.trim(), "{ok}");
        }
        let cases = [
            ("ivanov", EmailError::Shape),
            ("@mail.kz", EmailError::Shape),
            ("a@kz", EmailError::Shape),
            ("a@-x.kz", EmailError::Shape),
            ("a@x..kz", EmailError::Shape),
            ("иван@mail.kz", EmailError::Character),
            ("a b@mail.kz", EmailError::Character),
        ];
        for (s, error) in cases {
            assert_eq!(Email::parse(s), Err(error), "{s}");
        }
        let long = format!("{}@{}.kz", "a".repeat(60), "b".repeat(200));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
        let codes: Vec<_> = EmailError::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(codes, ["email.too_long", "email.character", "email.shape"]);
        assert!(serde_json::from_str::<Email>("\"nope\"").is_err());
    }

    #[test]
    fn treasury_details() {
        assert_eq!(
            InstitutionCode::parse("12345678").unwrap().as_str(),
            "12345678"
        );
        assert_eq!(
            InstitutionCode::parse("1234567"),
            Err(InstitutionCodeError::Length)
        );
        assert_eq!(
            InstitutionCode::parse("1234567x"),
            Err(InstitutionCodeError::NotDigits)
        );
        let json = r#"{"role":"second_signature","institution_code":"12345678"}"#;
        let details: TreasuryDetails = serde_json::from_str(json).unwrap();
        assert_eq!(details.role, TreasuryRole::SecondSignature);
        assert_eq!(serde_json::to_string(&details).unwrap(), json);
        for role in TreasuryRole::ALL {
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.code())
            );
        }
    }

    #[test]
    fn key_purposes() {
        use ApplicantKind::*;
        use KeyPurpose::*;
        assert_eq!(Authentication.policy_oid(LegalEntity), "1.2.398.3.3.2.2");
        assert_eq!(Signing.policy_oid(LegalEntity), "1.2.398.3.3.2.1");
        assert_eq!(Authentication.policy_oid(Individual), "1.2.398.3.3.2.4");
        assert_eq!(Signing.policy_oid(Individual), "1.2.398.3.3.2.3");
        assert_eq!(Authentication.file_name("0a1b"), "AUTH_ECDSA256_0A1B.p12");
        assert_eq!(Signing.file_name("0a1b"), "ECDSA256_0A1B.p12");
        assert_eq!(
            Authentication.pending_file_name("0a1b"),
            "AUTH_ECDSA256_0A1B.key"
        );
    }
}
