//! Kazakhstan mobile numbers, as the mobile-citizens database holds them.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::newtype::string_newtype;

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
    /// `87012345678`, `7012345678`.
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        if !s.chars().all(|c| c.is_ascii_digit() || " -()+".contains(c))
            || s.chars().skip(1).any(|c| c == '+')
        {
            return Err(PhoneError::Invalid);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.len() {
            10 => digits.as_str(),
            11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
            _ => return Err(PhoneError::Invalid),
        };
        // Mobile ranges (70x, 747, 77x); other 7xx codes are landlines.
        if !MOBILE_PREFIXES.iter().any(|p| national.starts_with(p))
            || (s.starts_with('+') && !digits.starts_with('7'))
        {
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
        ] {
            assert_eq!(
                PhoneNumber::parse(s).unwrap().as_str(),
                "+77012345678",
                "{s}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("+77012345678").unwrap().masked(),
            "+7 701 *** ** 78"
        );
    }

    #[test]
    fn others_are_refused() {
        for s in [
            "",
            "+8 701 234 56 78",
            "+7 (727) 234-56-78",
            "701234567",
            "7012345678a",
            "7+012345678",
        ] {
            assert_eq!(PhoneNumber::parse(s), Err(PhoneError::Invalid), "{s}");
        }
    }
}
