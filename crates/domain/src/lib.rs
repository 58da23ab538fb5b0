//! The rules both the browser (wasm32) and the server compile, written once.
//!
//! No I/O, no clock, no randomness: callers pass those in, so every rule is a pure
//! function that is easy to test. Types are parsed, not validated: a value of `Iin`,
//! `Bin`, `OtpCode` or `KeyStorePassword` is valid by construction.

pub mod api;
mod checksum;
pub mod error;
pub mod identifier;
pub mod lifecycle;
mod newtype;
pub mod otp;
pub mod password;
pub mod phone;
#[cfg(test)]
mod properties;
pub mod template;

pub use error::ErrorCode;
pub use identifier::{Bin, BinError, EntityKind, EntityUnit, Iin, IinError, Sex};
pub use lifecycle::{ApplicationNumber, ApplicationNumberError, ApplicationStatus, Event};
pub use otp::{OtpCode, OtpError};
pub use password::{KeyStorePassword, PasswordErrors, PasswordRule};
pub use phone::{PhoneError, PhoneNumber};
pub use template::{ApplicantKind, CertificateProfile, Template, UnknownTemplate};
