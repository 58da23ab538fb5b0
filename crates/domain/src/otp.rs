//! The one-time code sent by SMS from 1414, and the rules around it.

use crate::error::ErrorCode;

/// The guide's example code is "04802".
pub const OTP_LENGTH: usize = 5;
/// The guide shows «Оставшееся время: 90 секунд».
pub const OTP_TTL_SECONDS: i64 = 90;
/// A new code can be asked for once the previous one has expired.
pub const OTP_RESEND_AFTER_SECONDS: i64 = OTP_TTL_SECONDS;
/// Wrong codes allowed before the IIN is locked. Not published by NCA RK: three gives
/// room for a typo or two while a guesser has 3 chances in 100 000 per lock.
pub const OTP_MAX_ATTEMPTS: u32 = 3;
/// How long a lock lasts; the same as a failed video identification's lock.
pub const OTP_LOCK_MINUTES: i64 = 15;

/// Exactly five ASCII digits. Debug hides the value and there is no Display, so it
/// cannot reach a log by accident; `as_str` is the deliberate way out.
#[derive(Clone, PartialEq, Eq)]
pub struct OtpCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    #[error("a one-time code has digits only")]
    NotDigits,
    #[error("a one-time code has 5 digits")]
    Length,
}

impl ErrorCode for OtpError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "otp.not_digits",
            Self::Length => "otp.length",
        }
    }
}

impl OtpCode {
    pub fn parse(s: &str) -> Result<Self, OtpError> {
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            Err(OtpError::NotDigits)
        } else if s.len() != OTP_LENGTH {
            Err(OtpError::Length)
        } else {
            Ok(Self(s.to_owned()))
        }
    }

    /// From the server's random number: the last five digits, zero-padded.
    pub fn from_number(n: u32) -> Self {
        Self(format!("{:05}", n % 100_000))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("OtpCode(*****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_code_parses() {
        assert_eq!(OtpCode::parse("04802").unwrap().as_str(), "04802");
    }

    #[test]
    fn each_error_is_reached_and_has_its_code() {
        let cases = [
            ("0480", OtpError::Length, "otp.length"),
            ("048021", OtpError::Length, "otp.length"),
            ("", OtpError::Length, "otp.length"),
            ("04a02", OtpError::NotDigits, "otp.not_digits"),
            ("04 802", OtpError::NotDigits, "otp.not_digits"),
            ("０４８０２", OtpError::NotDigits, "otp.not_digits"),
        ];
        for (s, error, code) in cases {
            assert_eq!(OtpCode::parse(s), Err(error), "{s}");
            assert_eq!(error.code(), code);
        }
    }

    #[test]
    fn generated_codes_are_always_valid() {
        assert_eq!(OtpCode::from_number(7).as_str(), "00007");
        assert_eq!(OtpCode::from_number(1_234_567).as_str(), "34567");
        for n in [0, 99_999, 100_000, u32::MAX] {
            let code = OtpCode::from_number(n);
            assert_eq!(code.as_str().len(), OTP_LENGTH);
            assert_eq!(OtpCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn debug_hides_the_code() {
        assert_eq!(
            format!("{:?}", OtpCode::from_number(4802)),
            "OtpCode(*****)"
        );
    }
}
