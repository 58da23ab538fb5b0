//! Kazakhstan mobile numbers, as the mobile-citizens database holds them.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::newtype::string_newtype;

/// Mobile ranges of the national number (70x, 747, 77x); the other 7xx are landlines.
const MOBILE_PREFIXES: [&str; 3] = ["70", "747", "77"];

/// Normalised to `+77XXXXXXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("not a Kazakhstan mobile number")]
    Invalid,
}

impl ErrorCode for PhoneError {
    fn code(&self) -> &'static str {
        "phone.invalid"
    }
}

impl PhoneNumber {
    /// Accepts the ways people write it: `+7 701 234 56 78`, `8 (701) 234-56-78`,
    /// `87012345678`, `7012345678`; spaces, dashes and parentheses anywhere.
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        let (international, rest) = match s.trim_start().strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        if !rest
            .chars()
            .all(|c| c.is_ascii_digit() || " -()".contains(c))
        {
            return Err(PhoneError::Invalid);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        // After "+" only the country code 7 may come; without it, 8 is the trunk
        // prefix dialled at home, and a bare 10 digits is the national number.
        let national = match (international, digits.len(), digits.as_bytes().first()) {
            (true, 11, Some(b'7')) | (false, 11, Some(b'7' | b'8')) => &digits[1..],
            (false, 10, _) => &digits[..],
            _ => return Err(PhoneError::Invalid),
        };
        if !MOBILE_PREFIXES.iter().any(|p| national.starts_with(p)) {
            return Err(PhoneError::Invalid);
        }
        Ok(Self(format!("+7{national}")))
    }

    /// For the screen: `+7 701 *** ** 78`.
    pub fn masked(&self) -> String {
        format!("+7 {} *** ** {}", &self.0[2..5], &self.0[10..12])
    }
}

string_newtype!(PhoneNumber, PhoneError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_spellings_normalise() {
        for s in [
            "+7 701 234 56 78",
            "8 (701) 234-56-78",
            "87012345678",
            "7012345678",
            "+77012345678",
            "77012345678",
            "+7 (701) 234-56-78",
            " +7 701 2345678 ",
        ] {
            assert_eq!(
                PhoneNumber::parse(s).unwrap().as_str(),
                "+77012345678",
                "{s}"
            );
        }
        for s in ["+7 747 000 11 22", "8 775 000 11 22", "700 000 11 22"] {
            assert!(PhoneNumber::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn masked() {
        assert_eq!(
            PhoneNumber::parse("+77012345678").unwrap().masked(),
            "+7 701 *** ** 78"
        );
    }

    #[test]
    fn others_are_refused() {
        for s in [
            "",
            "+",
            "+8 701 234 56 78",
            "+87012345678",
            "+7012345678",
            "++77012345678",
            "+7 (727) 234-56-78",
            "87272345678",
            "7452345678",
            "701234567",
            "870123456789",
            "7012345678a",
            "7+012345678",
            "+7 701 234 56 78 ext",
            "+7\u{a0}701 234 56 78",
        ] {
            let error = PhoneNumber::parse(s).unwrap_err();
            assert_eq!(
                (error, error.code()),
                (PhoneError::Invalid, "phone.invalid"),
                "{s}"
            );
        }
    }

    #[test]
    fn serde_parses_on_the_way_in() {
        let phone = PhoneNumber::parse("87012345678").unwrap();
        assert_eq!(serde_json::to_string(&phone).unwrap(), r#""+77012345678""#);
        assert_eq!(
            serde_json::from_str::<PhoneNumber>(r#""+77012345678""#).unwrap(),
            phone
        );
        assert!(serde_json::from_str::<PhoneNumber>(r#""+77272345678""#).is_err());
    }
}
