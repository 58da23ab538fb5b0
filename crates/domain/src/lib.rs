//! The rules both the browser (wasm32) and the server compile, written once.
//!
//! No I/O, no clock, no randomness: callers pass those in, so every rule is a pure
//! function that is easy to test. Types are parsed, not validated: a value of `Iin`,
//! `Bin`, `OtpCode` or `KeyStorePassword` is valid by construction, and every error
//! has a stable code (`ErrorCode`) that the SPA turns into words.

pub mod api;
pub mod application;
pub mod bin;
pub mod call;
mod checksum;
pub mod decision;
pub mod document;
pub mod error;
pub mod iin;
pub mod lifecycle;
pub mod liveness;
pub mod moderation;
pub mod mrz;
mod newtype;
pub mod otp;
pub mod password;
pub mod phone;
pub mod pin;
#[cfg(test)]
mod properties;
pub mod revocation;
pub mod template;
#[cfg(test)]
mod test_support;

pub use application::{
    Email, EmailError, InstitutionCode, InstitutionCodeError, KeyPurpose, TreasuryDetails,
    TreasuryRole,
};
pub use bin::{Bin, BinError, EntityKind, EntityUnit};
pub use document::{
    Document, DocumentField, DocumentFields, DocumentKind, FieldError, FieldSource, Side,
};
pub use error::ErrorCode;
pub use iin::{Iin, IinError, Sex};
pub use lifecycle::{
    ApplicationNumber, ApplicationNumberError, ApplicationStatus, Event, InvalidTransition,
    UnknownStatus,
};
pub use mrz::{Mrz, MrzError, MrzField, MrzFormat};
pub use otp::{OtpCode, OtpError};
pub use password::{KeyStorePassword, PasswordErrors, PasswordRule};
pub use phone::{PhoneError, PhoneNumber};
pub use pin::{Pin, PinError};
pub use template::{ApplicantKind, CertificateProfile, Template, UnknownTemplate};
