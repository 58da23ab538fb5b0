//! The application's lifecycle as an explicit state machine, and its number.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::newtype::string_newtype;

/// Applications not confirmed by the first head within this many days expire
/// (domain notes: "pick a period, e.g. 30 days").
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    AwaitHead,
    HeadConfirmed,
    HeadRejected,
    ConfirmationExpired,
    Issue,
    Install,
    Revoke,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an application that is {from:?} cannot take {event:?}")]
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

    const EVENTS: [Event; 7] = [
        E::AwaitHead,
        E::HeadConfirmed,
        E::HeadRejected,
        E::ConfirmationExpired,
        E::Issue,
        E::Install,
        E::Revoke,
    ];

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
            for event in EVENTS {
                for needs_head in [false, true] {
                    let got = from.apply(event, needs_head);
                    match allowed(from, event, needs_head) {
                        Some(to) => {
                            allowed_count += 1;
                            assert_eq!(got, Ok(to), "{from:?} + {event:?}");
                        }
                        None => assert_eq!(got, Err(InvalidTransition { from, event })),
                    }
                }
            }
        }
        // 7 transitions, counted for both values of `needs_head` where it does not matter.
        assert_eq!(allowed_count, 14);
    }

    #[test]
    fn final_statuses_accept_nothing() {
        for from in S::ALL.into_iter().filter(|s| s.is_final()) {
            for event in EVENTS {
                assert!(from.apply(event, true).is_err());
                assert!(from.apply(event, false).is_err());
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(s.code().parse::<S>(), Ok(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
    }

    #[test]
    fn application_numbers() {
        assert!(ApplicationNumber::parse("27888601100404").is_ok());
        assert_eq!(
            ApplicationNumber::parse("2788860110040"),
            Err(ApplicationNumberError::Length)
        );
        assert_eq!(
            ApplicationNumber::parse("2788860110040x"),
            Err(ApplicationNumberError::NotDigits)
        );
        assert_eq!(ApplicationNumber::from_u64(42).as_str(), "00000000000042");
        assert_eq!(ApplicationNumber::from_u64(u64::MAX).as_str().len(), 14);
    }
}
