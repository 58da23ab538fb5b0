//! The Digital ID PIN: six digits, typed twice, not one anybody would guess first.

use time::Date;

use crate::error::ErrorCode;

pub const PIN_LENGTH: usize = 6;

/// A PIN that passed the rules. Like `OtpCode`, it has no Display and Debug hides it,
/// so it cannot reach a log by accident; the server stores only its Argon2id hash.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

/// In the order checked: the first problem is the one named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("a PIN has digits only")]
    NotDigits,
    #[error("a PIN has 6 digits")]
    Length,
    #[error("the two PINs differ")]
    Mismatch,
    #[error("one digit repeated, or digits in a row, are the first guesses")]
    Trivial,
    #[error("the date of birth is easy to find out")]
    BirthDate,
}

impl PinError {
    pub const ALL: [Self; 5] = [
        Self::NotDigits,
        Self::Length,
        Self::Mismatch,
        Self::Trivial,
        Self::BirthDate,
    ];
}

impl ErrorCode for PinError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "pin.not_digits",
            Self::Length => "pin.length",
            Self::Mismatch => "pin.mismatch",
            Self::Trivial => "pin.trivial",
            Self::BirthDate => "pin.birth_date",
        }
    }
}

impl Pin {
    /// The PIN typed twice, checked against the holder's date of birth.
    pub fn choose(pin: &str, again: &str, birth_date: Date) -> Result<Self, PinError> {
        let pin = Self::parse(pin)?;
        if pin.0 != again {
            return Err(PinError::Mismatch);
        }
        let digits: Vec<i16> = pin.0.bytes().map(|b| i16::from(b - b'0')).collect();
        let steps: Vec<i16> = digits.windows(2).map(|w| w[1] - w[0]).collect();
        if steps.iter().all(|&s| s == steps[0]) && steps[0].abs() <= 1 {
            return Err(PinError::Trivial);
        }
        let (d, m, y) = (
            birth_date.day(),
            u8::from(birth_date.month()),
            birth_date.year() % 100,
        );
        let dates = [format!("{d:02}{m:02}{y:02}"), format!("{y:02}{m:02}{d:02}")];
        if dates.contains(&pin.0) {
            return Err(PinError::BirthDate);
        }
        Ok(pin)
    }

    /// Six digits, as typed at sign-in (the weakness rules apply when it is chosen).
    pub fn parse(s: &str) -> Result<Self, PinError> {
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            Err(PinError::NotDigits)
        } else if s.len() != PIN_LENGTH {
            Err(PinError::Length)
        } else {
            Ok(Self(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for Pin {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Pin(******)")
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const BORN: Date = date!(1992 - 07 - 24);

    #[test]
    fn a_good_pin_typed_twice_is_chosen() {
        let pin = Pin::choose("480215", "480215", BORN).unwrap();
        assert_eq!(pin.as_str(), "480215");
        assert_eq!(format!("{pin:?}"), "Pin(******)");
    }

    #[test]
    fn each_rule_has_its_error() {
        let choose = |pin: &str| Pin::choose(pin, pin, BORN).map(|_| ());
        assert_eq!(choose("48a215"), Err(PinError::NotDigits));
        assert_eq!(choose("48021"), Err(PinError::Length));
        assert_eq!(
            Pin::choose("480215", "480216", BORN).map(|_| ()),
            Err(PinError::Mismatch)
        );
        for trivial in ["000000", "777777", "123456", "654321", "345678"] {
            assert_eq!(choose(trivial), Err(PinError::Trivial), "{trivial}");
        }
        assert_eq!(choose("240792"), Err(PinError::BirthDate));
        assert_eq!(choose("920724"), Err(PinError::BirthDate));
        // Steps of two are not the first guesses.
        assert_eq!(choose("135797"), Ok(()));
    }

    #[test]
    fn error_codes_are_stable() {
        assert_eq!(PinError::Trivial.code(), "pin.trivial");
        assert_eq!(PinError::BirthDate.code(), "pin.birth_date");
    }
}
