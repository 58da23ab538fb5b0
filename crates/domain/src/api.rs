//! The JSON the API and the SPA exchange.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::CertificateProfile;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// Every error the API returns has this one shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable and machine-readable, e.g. `validation` or `bin_not_found`.
    pub code: String,
    /// English, for developers; the SPA shows its own text for `code`.
    pub message: String,
    /// Field name → error code of that field (e.g. `"iin": "iin.check_digit"`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// For locks and rate limits: when to try again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<i64>,
    /// For a wrong one-time code: how many tries remain before the lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
}

/// A message in the demo SMS outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsMessage {
    pub to: String,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub sent_at: OffsetDateTime,
}

/// The user's language, sent along so that SMS texts go out in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Ru,
    Kk,
    En,
}

impl Language {
    /// From a locale code ("ru", "kk", "en"); anything else is Russian, the guide's language.
    pub fn from_code(code: &str) -> Self {
        match code {
            "kk" => Self::Kk,
            "en" => Self::En,
            _ => Self::Ru,
        }
    }
}

/// Start of the mobile-citizens check: who applies, under which template.
/// BIN and IIN travel as typed so that the server can name what is wrong with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneCheckRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub profile: CertificateProfile,
    /// Required for a legal entity, absent for an individual.
    pub bin: Option<String>,
    pub iin: String,
    #[serde(default)]
    pub language: Language,
}

/// A code was sent by SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneCheckStarted {
    /// The handle for the verification call.
    pub id: String,
    /// The registered phone, masked: `+7 701 *** ** 78`.
    pub phone_masked: String,
    /// The organisation's name from the legal entities registry.
    pub organisation: Option<String>,
    pub expires_in_seconds: i64,
    pub attempts_left: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneCheckVerified {
    pub iin: String,
    pub organisation: Option<String>,
}
