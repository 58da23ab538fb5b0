//! The operator's side of Digital ID: the reason a rejection must give, and the
//! registry's documents as a case carries them.

use std::fmt;
use std::str::FromStr;

use time::Date;

use crate::api::Mismatch;
use crate::document::{format_date, parse_date, DocumentField, DocumentKind};
use crate::error::ErrorCode;
use crate::newtype::string_newtype;

pub const REASON_MIN_CHARS: usize = 3;
pub const REASON_MAX_CHARS: usize = 500;

/// Why an operator rejected a document, trimmed: the holder reads it in the account,
/// so it has to say something, and briefly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReasonError {
    #[error("a reason has at least 3 characters")]
    TooShort,
    #[error("a reason has at most 500 characters")]
    TooLong,
}

impl ErrorCode for ReasonError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "reason.too_short",
            Self::TooLong => "reason.too_long",
        }
    }
}

impl Reason {
    pub fn parse(s: &str) -> Result<Self, ReasonError> {
        let reason = s.trim();
        match reason.chars().count() {
            n if n < REASON_MIN_CHARS => Err(ReasonError::TooShort),
            n if n > REASON_MAX_CHARS => Err(ReasonError::TooLong),
            _ => Ok(Self(reason.to_owned())),
        }
    }
}

string_newtype!(Reason, ReasonError);

/// One document of the individuals registry, as `RegistryRecord::documents` carries
/// it: `id_card 049002145, valid until 2031-04-11`. The server writes it, the operator's
/// page reads it back to put the number and expiry beside the applicant's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub expires_on: Date,
}

const VALID_UNTIL: &str = ", valid until ";

impl fmt::Display for RegistryDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}{VALID_UNTIL}{}",
            self.kind.code(),
            self.number,
            format_date(self.expires_on)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a registry document (`kind number, valid until YYYY-MM-DD`)")]
pub struct NotARegistryDocument;

impl FromStr for RegistryDocument {
    type Err = NotARegistryDocument;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, rest) = s.split_once(' ').ok_or(NotARegistryDocument)?;
        let (number, expires_on) = rest.split_once(VALID_UNTIL).ok_or(NotARegistryDocument)?;
        Ok(Self {
            kind: DocumentKind::from_code(kind).ok_or(NotARegistryDocument)?,
            number: number.to_owned(),
            expires_on: parse_date(expires_on).ok_or(NotARegistryDocument)?,
        })
    }
}

/// The form field a mismatch is about; the others (IIN, zone, face) concern the
/// whole case.
pub fn mismatched_field(mismatch: Mismatch) -> Option<DocumentField> {
    match mismatch {
        Mismatch::DocumentNumber => Some(DocumentField::Number),
        Mismatch::Surname => Some(DocumentField::Surname),
        Mismatch::Name => Some(DocumentField::Name),
        Mismatch::Patronymic => Some(DocumentField::Patronymic),
        Mismatch::BirthDate => Some(DocumentField::BirthDate),
        Mismatch::Expiry => Some(DocumentField::ExpiresOn),
        Mismatch::Iin | Mismatch::Mrz | Mismatch::Face => None,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_reason_is_trimmed_and_between_3_and_500_characters() {
        assert_eq!(
            Reason::parse("  Фото размыто \n").unwrap().as_str(),
            "Фото размыто"
        );
        assert_eq!(Reason::parse(""), Err(ReasonError::TooShort));
        assert_eq!(Reason::parse("  аб  "), Err(ReasonError::TooShort));
        assert!(Reason::parse("абв").is_ok());
        // Characters, not bytes: 500 Cyrillic letters are 1000 bytes.
        assert!(Reason::parse(&"ж".repeat(500)).is_ok());
        assert_eq!(Reason::parse(&"ж".repeat(501)), Err(ReasonError::TooLong));
        assert_eq!(ReasonError::TooLong.code(), "reason.too_long");
    }

    #[test]
    fn registry_documents_read_back_as_written() {
        let document = RegistryDocument {
            kind: DocumentKind::IdCard,
            number: "049002145".into(),
            expires_on: date!(2031 - 04 - 11),
        };
        let text = document.to_string();
        assert_eq!(text, "id_card 049002145, valid until 2031-04-11");
        assert_eq!(text.parse::<RegistryDocument>().unwrap(), document);
        for broken in [
            "",
            "id_card 049002145",
            "visa 1, valid until 2031-04-11",
            "id_card 1, valid until 2031-13-01",
        ] {
            assert_eq!(
                broken.parse::<RegistryDocument>(),
                Err(NotARegistryDocument),
                "{broken}"
            );
        }
    }

    #[test]
    fn mismatches_of_a_field_name_it() {
        assert_eq!(
            mismatched_field(Mismatch::Expiry),
            Some(DocumentField::ExpiresOn)
        );
        assert_eq!(mismatched_field(Mismatch::Face), None);
    }
}
