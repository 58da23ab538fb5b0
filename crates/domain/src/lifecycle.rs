//! The application's lifecycle as an explicit state machine, and its number.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::newtype::string_newtype;

/// Applications not confirmed by the first head within this many days expire, so
/// that a forgotten request does not stay open and an identification months old is
/// not turned into a certificate. The period is not published; the domain notes
/// suggest 30 days.
pub const CONFIRMATION_PERIOD_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// «Пользователь идентифицирован центром регистрации»
    Identified,
    /// «Ожидание подтверждения первого руководителя»
    AwaitingHead,
    Rejected,
    Expired,
    /// «Выпущенные регистрационные свидетельства (сертификаты) по заявке»
    Issued,
    /// «Сертификаты установлены»
    Installed,
    Revoked,
}

/// What happens to an application; `ApplicationStatus::apply` says where it leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Identification is done and the application goes to the first head.
    AwaitHead,
    HeadConfirmed,
    /// The first head refused, with a reason.
    HeadRejected,
    /// `CONFIRMATION_PERIOD_DAYS` passed without an answer.
    ConfirmationExpired,
    /// Certificates issued at once: only when no confirmation is needed.
    Issue,
    Install,
    /// By the holder or the first head.
    Revoke,
}

impl Event {
    pub const ALL: [Event; 7] = [
        Self::AwaitHead,
        Self::HeadConfirmed,
        Self::HeadRejected,
        Self::ConfirmationExpired,
        Self::Issue,
        Self::Install,
        Self::Revoke,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an application that is {} cannot take {event:?}", from.code())]
pub struct InvalidTransition {
    pub from: ApplicationStatus,
    pub event: Event,
}

impl ErrorCode for InvalidTransition {
    fn code(&self) -> &'static str {
        "lifecycle.invalid_transition"
    }
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 7] = [
        Self::Identified,
        Self::AwaitingHead,
        Self::Rejected,
        Self::Expired,
        Self::Issued,
        Self::Installed,
        Self::Revoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Identified => "identified",
            Self::AwaitingHead => "awaiting_head",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Issued => "issued",
            Self::Installed => "installed",
            Self::Revoked => "revoked",
        }
    }

    /// No event leads anywhere from here.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Rejected | Self::Expired | Self::Revoked)
    }

    /// The only way a status changes. `needs_head_confirmation` comes from the
    /// application's profile: the first head's own application is issued at once.
    pub fn apply(
        self,
        event: Event,
        needs_head_confirmation: bool,
    ) -> Result<ApplicationStatus, InvalidTransition> {
        use ApplicationStatus as S;
        use Event as E;
        match (self, event) {
            (S::Identified, E::AwaitHead) if needs_head_confirmation => Ok(S::AwaitingHead),
            (S::Identified, E::Issue) if !needs_head_confirmation => Ok(S::Issued),
            (S::AwaitingHead, E::HeadConfirmed) => Ok(S::Issued),
            (S::AwaitingHead, E::HeadRejected) => Ok(S::Rejected),
            (S::AwaitingHead, E::ConfirmationExpired) => Ok(S::Expired),
            (S::Issued, E::Install) => Ok(S::Installed),
            (S::Issued | S::Installed, E::Revoke) => Ok(S::Revoked),
            (from, event) => Err(InvalidTransition { from, event }),
        }
    }
}

impl core::str::FromStr for ApplicationStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.code() == s)
            .ok_or(UnknownStatus)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown application status")]
pub struct UnknownStatus;

impl ErrorCode for UnknownStatus {
    fn code(&self) -> &'static str {
        "lifecycle.unknown_status"
    }
}

/// The 14-digit application number the applicant writes down.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ApplicationNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationNumberError {
    #[error("an application number has digits only")]
    NotDigits,
    #[error("an application number has 14 digits")]
    Length,
}

impl ErrorCode for ApplicationNumberError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "application_number.not_digits",
            Self::Length => "application_number.length",
        }
    }
}

impl ApplicationNumber {
    pub const LENGTH: usize = 14;

    pub fn parse(s: &str) -> Result<Self, ApplicationNumberError> {
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            Err(ApplicationNumberError::NotDigits)
        } else if s.len() != Self::LENGTH {
            Err(ApplicationNumberError::Length)
        } else {
            Ok(Self(s.to_owned()))
        }
    }

    /// From the server's random number: the last 14 decimal digits, zero-padded.
    pub fn from_u64(n: u64) -> Self {
        Self(format!("{:014}", n % 100_000_000_000_000))
    }
}

string_newtype!(ApplicationNumber, ApplicationNumberError);

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus as S;
    use Event as E;

    /// The table of the brief, written independently of `apply`.
    fn allowed(from: S, event: E, needs_head: bool) -> Option<S> {
        match (from, event, needs_head) {
            (S::Identified, E::AwaitHead, true) => Some(S::AwaitingHead),
            (S::Identified, E::Issue, false) => Some(S::Issued),
            (S::AwaitingHead, E::HeadConfirmed, _) => Some(S::Issued),
            (S::AwaitingHead, E::HeadRejected, _) => Some(S::Rejected),
            (S::AwaitingHead, E::ConfirmationExpired, _) => Some(S::Expired),
            (S::Issued, E::Install, _) => Some(S::Installed),
            (S::Issued, E::Revoke, _) | (S::Installed, E::Revoke, _) => Some(S::Revoked),
            _ => None,
        }
    }

    #[test]
    fn every_status_and_event_pair_follows_the_table() {
        let mut allowed_count = 0;
        for from in S::ALL {
            for event in E::ALL {
                for needs_head in [false, true] {
                    let got = from.apply(event, needs_head);
                    match allowed(from, event, needs_head) {
                        Some(to) => {
                            allowed_count += 1;
                            assert_eq!(got, Ok(to), "{from:?} + {event:?}");
                        }
                        None => {
                            let refused = InvalidTransition { from, event };
                            assert_eq!(got, Err(refused), "{from:?} + {event:?}");
                            assert_eq!(refused.code(), "lifecycle.invalid_transition");
                        }
                    }
                }
            }
        }
        // 6 transitions that do not depend on `needs_head`, counted twice, and 2 that do.
        assert_eq!(allowed_count, 14);
    }

    #[test]
    fn the_first_heads_application_skips_confirmation_and_others_do_not() {
        assert_eq!(S::Identified.apply(E::Issue, false), Ok(S::Issued));
        assert!(S::Identified.apply(E::Issue, true).is_err());
        assert_eq!(S::Identified.apply(E::AwaitHead, true), Ok(S::AwaitingHead));
        assert!(S::Identified.apply(E::AwaitHead, false).is_err());
    }

    #[test]
    fn final_statuses_accept_nothing_and_the_others_accept_something() {
        for from in S::ALL {
            let accepts_something = E::ALL
                .into_iter()
                .any(|event| from.apply(event, true).is_ok() || from.apply(event, false).is_ok());
            assert_eq!(accepts_something, !from.is_final(), "{from:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(s.code().parse::<S>(), Ok(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.code()));
            assert_eq!(serde_json::from_str::<S>(&json).unwrap(), s);
        }
        assert_eq!("approved".parse::<S>(), Err(UnknownStatus));
        assert_eq!(UnknownStatus.code(), "lifecycle.unknown_status");
        assert_eq!(
            InvalidTransition {
                from: S::Revoked,
                event: E::Install
            }
            .to_string(),
            "an application that is revoked cannot take Install"
        );
    }

    #[test]
    fn application_numbers() {
        for s in ["27888601100404", "73717378150611"] {
            let number = ApplicationNumber::parse(s).unwrap();
            assert_eq!(number.to_string(), s);
            let json = serde_json::to_string(&number).unwrap();
            assert_eq!(
                serde_json::from_str::<ApplicationNumber>(&json).unwrap(),
                number
            );
        }
        let cases = [
            (
                "2788860110040",
                ApplicationNumberError::Length,
                "application_number.length",
            ),
            (
                "278886011004045",
                ApplicationNumberError::Length,
                "application_number.length",
            ),
            (
                "2788860110040x",
                ApplicationNumberError::NotDigits,
                "application_number.not_digits",
            ),
            (
                "",
                ApplicationNumberError::Length,
                "application_number.length",
            ),
        ];
        for (s, error, code) in cases {
            assert_eq!(ApplicationNumber::parse(s), Err(error), "{s}");
            assert_eq!(error.code(), code);
        }
        assert!(serde_json::from_str::<ApplicationNumber>("\"123\"").is_err());
    }

    #[test]
    fn generated_numbers_are_always_valid() {
        assert_eq!(ApplicationNumber::from_u64(42).as_str(), "00000000000042");
        assert_eq!(
            ApplicationNumber::from_u64(123_456_789_012_345_678).as_str(),
            "56789012345678"
        );
        for n in [0, 1, 99_999_999_999_999, 100_000_000_000_000, u64::MAX] {
            let number = ApplicationNumber::from_u64(n);
            assert_eq!(ApplicationNumber::parse(number.as_str()), Ok(number));
        }
    }
}
