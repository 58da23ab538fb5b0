//! The JSON the API and the SPA exchange.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::document::{DocumentField, DocumentFields, DocumentKind, FieldSource, Side};
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

/// A selfie for the face check, taken after the phone was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelfieUpload {
    /// The verified phone check's id: the applicant's session until Digital ID.
    pub session: String,
    /// The photo as base64 JPEG (a `data:` URL prefix is accepted).
    pub image: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LivenessChallengeRequest {
    pub session: String,
}

/// A fresh, single-use challenge: do these actions in this order before the deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LivenessChallenge {
    pub id: String,
    pub actions: Vec<crate::liveness::Action>,
    pub deadline_seconds: u32,
    /// Failed challenges the applicant may still have before the operator route.
    pub attempts_left: u32,
}

/// One frame the page saw, with what it measured there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LivenessFrame {
    /// Milliseconds since the challenge was shown.
    pub at_ms: f64,
    /// Base64 JPEG, as for the selfie.
    pub image: String,
    pub yaw: f32,
    pub face_width: f32,
    pub eye_openness: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LivenessSubmission {
    pub frames: Vec<LivenessFrame>,
}

/// How the face check ended when the movements were right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdentityOutcome {
    /// The face matches the registry photo.
    Verified,
    /// Neither a clear match nor a clear mismatch: an operator decides.
    Moderation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LivenessResult {
    pub outcome: IdentityOutcome,
}

/// Dates in the API are `YYYY-MM-DD`.
pub mod iso_date {
    time::serde::format_description!(pub format, Date, "[year]-[month]-[day]");
    pub use format::{deserialize, serialize};
    pub mod option {
        pub use super::format::option::{deserialize, serialize};
    }
}

/// Step 8: sign in to Digital ID with the phone registered for the applicant's IIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DigitalIdSignIn {
    /// The verified phone check of the application (steps 3–4).
    pub application: String,
    /// As typed: it must be the number the mobile-citizens database has for the IIN.
    pub phone: String,
    #[serde(default)]
    pub language: Language,
}

/// Step 13: the PIN, typed twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PinChoice {
    pub pin: String,
    pub again: String,
}

/// Step 17: «Подтвердить документ», as the applicant confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentSubmission {
    pub kind: DocumentKind,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: DocumentFields,
    /// Where each field's value came from.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub sources: BTreeMap<DocumentField, FieldSource>,
    /// The machine-readable zone, when it was read or typed.
    pub mrz: Option<String>,
    /// «Подтверждаю, что данные достоверны».
    pub confirmed: bool,
    /// For the SMS with an operator's decision.
    #[serde(default)]
    pub language: Language,
}

/// Where a document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// It matched the registry, or an operator approved it.
    Verified,
    /// «Документ направлен на проверку (модерацию) оператору».
    Moderation,
    Rejected,
}

/// What does not match between the applicant's data and the registry's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mismatch {
    /// No document of this kind and number in the registry.
    DocumentNumber,
    Surname,
    Name,
    Patronymic,
    BirthDate,
    Expiry,
    /// The zone's IIN is not the applicant's.
    Iin,
    /// The typed fields differ from the zone.
    Mrz,
    /// The live face was not clearly the registry photo's.
    Face,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentView {
    pub kind: DocumentKind,
    pub number: String,
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub expires_on: Date,
    pub status: DocumentStatus,
    /// The operator's reason, for a rejected document.
    pub reason: Option<String>,
}

/// What happened to the account, for «История операций».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountEvent {
    SignedIn,
    PinSet,
    DocumentVerified,
    DocumentSentToModeration,
    DocumentApproved,
    DocumentRejected,
    ConsentGiven,
    WrongPin,
    PinLocked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    pub event: AccountEvent,
}

/// Personal data the service holds about the applicant, for «Данные и безопасность».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StoredData {
    Selfie,
    DocumentFront,
    DocumentBack,
    DocumentFields,
    PinHash,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredItem {
    pub data: StoredData,
    /// When it will be deleted; none while it is needed (a PIN, a valid document's fields).
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The Digital ID account, as its holder sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub iin: String,
    /// The face check of this sign-in, once done.
    pub identity: Option<IdentityOutcome>,
    pub pin_set: bool,
    /// The document photos sent in this sign-in, not yet part of a submitted document.
    pub photos: Vec<Side>,
    pub document: Option<DocumentView>,
    /// Decisions the holder has not opened yet («Новые уведомления»).
    pub unseen: u32,
    pub history: Vec<HistoryEntry>,
    pub stored: Vec<StoredItem>,
}

/// Step 21: access for the NCA service, granted with the PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentRequest {
    pub pin: String,
}

/// What Digital ID hands to the application step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedIdentity {
    pub iin: String,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub birth_date: Date,
    pub document: DocumentView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentGranted {
    /// The application step's handle on this consent.
    pub consent: String,
    pub identity: VerifiedIdentity,
}

/// An operator's sign-in to the moderation pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorLogin {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorProfile {
    pub login: String,
    pub name: String,
}

/// A document waiting in the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: String,
    pub iin: String,
    pub full_name: String,
    pub kind: DocumentKind,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub submitted_at: OffsetDateTime,
    pub mismatches: Vec<Mismatch>,
}

/// The registry's record of the person, beside what the applicant typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryRecord {
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub birth_date: Date,
    /// `kind number, valid until YYYY-MM-DD`, one per document.
    pub documents: Vec<String>,
}

/// A case, whole: what the operator compares side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    pub summary: CaseSummary,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: DocumentFields,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub sources: BTreeMap<DocumentField, FieldSource>,
    pub mrz: Option<String>,
    pub identity: IdentityOutcome,
    pub registry: Option<RegistryRecord>,
    /// The photos still held: `selfie`, `front`, `back`.
    pub photos: Vec<String>,
}

/// The operator's decision on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject { reason: String },
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::Template;

    #[test]
    fn an_error_without_fields_reads_as_empty_fields() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"error":{"code":"validation","message":"bad"}}"#).unwrap();
        assert!(body.error.fields.is_empty());
        assert_eq!(body.error.retry_after_seconds, None);
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(
            json,
            r#"{"error":{"code":"validation","message":"bad","fields":{}}}"#
        );
    }

    #[test]
    fn an_error_with_fields_round_trips() {
        let body = ErrorBody {
            error: ErrorDetail {
                code: "validation".into(),
                message: "bad".into(),
                fields: [("iin".to_owned(), "iin.check_digit".to_owned())].into(),
                retry_after_seconds: Some(60),
                attempts_left: Some(2),
            },
        };
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(serde_json::from_str::<ErrorBody>(&json).unwrap(), body);
    }

    #[test]
    fn sms_time_is_rfc_3339() {
        let sms = SmsMessage {
            to: "+77011234567".into(),
            text: "04802".into(),
            sent_at: datetime!(2026-11-25 04:30:00 +05:00),
        };
        let json = serde_json::to_value(&sms).unwrap();
        assert_eq!(json["sent_at"], "2026-11-25T04:30:00+05:00");
        assert_eq!(serde_json::from_value::<SmsMessage>(json).unwrap(), sms);
    }

    #[test]
    fn health_and_requests_round_trip() {
        let health = Health {
            status: "ok".into(),
            version: "0.1.0".into(),
        };
        let json = serde_json::to_string(&health).unwrap();
        assert_eq!(json, r#"{"status":"ok","version":"0.1.0"}"#);
        assert_eq!(serde_json::from_str::<Health>(&json).unwrap(), health);

        // Without a language the guide's Russian is assumed.
        let request: PhoneCheckRequest = serde_json::from_str(
            r#"{"profile":{"kind":"legal_entity","template":"signer"},"bin":"150340001236","iin":"850115301238"}"#,
        )
        .unwrap();
        assert_eq!(
            request.profile,
            CertificateProfile::LegalEntity {
                template: Template::Signer
            }
        );
        assert_eq!(request.language, Language::Ru);
    }

    #[test]
    fn languages_from_locale_codes() {
        assert_eq!(Language::from_code("kk"), Language::Kk);
        assert_eq!(Language::from_code("en"), Language::En);
        assert_eq!(Language::from_code("ru"), Language::Ru);
        assert_eq!(Language::from_code("de"), Language::Ru);
        assert_eq!(serde_json::to_string(&Language::Kk).unwrap(), r#""kk""#);
    }
}

/// What the Treasury-Client template adds, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TreasuryInput {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: crate::TreasuryRole,
    pub institution_code: String,
}

/// «Подать заявку» (step 25): the requests for the two keys, and what the applicant
/// added to the registries' data. The private keys never leave the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationSubmission {
    /// The consent given with the Digital ID PIN (step 21).
    pub consent: String,
    /// Random, made by the browser with the keys. The same submission sent again finds
    /// the same application, and the browser that holds it is the applicant's
    /// (`Authorization: Bearer <request_id>` shows the data unmasked).
    pub request_id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub treasury: Option<TreasuryInput>,
    /// PKCS#10 in PEM, for the authentication key.
    pub authentication_request: String,
    /// PKCS#10 in PEM, for the signing key.
    pub signing_request: String,
    /// For the SMS with the first head's decision.
    #[serde(default)]
    pub language: Language,
}

/// «ЗАЯВКА УСПЕШНО СФОРМИРОВАНА!»
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationCreated {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub number: crate::ApplicationNumber,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: crate::ApplicationStatus,
}

/// A row of «Таблица статусов заявки».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: crate::ApplicationStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    /// Why, when the first head rejected the application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// «Проверка статуса заявки»: the application as anyone with its number sees it, the
/// personal data masked unless the request carries the applicant's `request_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub number: crate::ApplicationNumber,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub profile: CertificateProfile,
    pub bin: Option<String>,
    pub organisation: Option<String>,
    /// `8501******38` when masked.
    pub iin: String,
    /// `Ж********** Е****` when masked.
    pub full_name: String,
    pub masked: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: crate::ApplicationStatus,
    /// Oldest first.
    pub history: Vec<StatusChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCertificate {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub purpose: crate::KeyPurpose,
    /// PEM.
    pub certificate: String,
}

/// «Выпущенные регистрационные свидетельства (сертификаты) по заявке», for the
/// applicant's browser to put into key stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCertificates {
    pub certificates: Vec<IssuedCertificate>,
    /// The issuing CA and the root, in PEM, in that order.
    pub chain: String,
}

/// The application's number signed with the new authentication key: the key stores
/// were written where the keys are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstallationProof {
    /// Hex of a DER ECDSA signature (`qoltanba_pki::installation`).
    pub signature: String,
}

/// A row of an application's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub application: String,
    /// `created`, then the statuses' codes (`identified`, `awaiting_head`, `issued`, …).
    pub event: String,
    pub actor: String,
    /// JSON: request fingerprints, serials, reasons.
    pub detail: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    /// SHA-256 of the row and the one before it, in hex.
    pub hash: String,
}

/// An application's audit trail, and whether the whole chain it belongs to verifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditTrail {
    pub entries: Vec<AuditEntry>,
    pub chain_verified: bool,
}

/// The cabinet's one-time challenge: the holder's browser signs it with his
/// authentication key (`qoltanba_pki::proof::Statement::SignIn`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetChallenge {
    pub challenge: String,
    pub expires_in_seconds: i64,
}

/// «Личный кабинет»: the signed challenge and the certificate that vouches for the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetSignIn {
    pub challenge: String,
    /// The authentication certificate, PEM.
    pub certificate: String,
    /// Hex of a DER ECDSA signature over the challenge statement.
    pub signature: String,
}

/// Who is signed in to the cabinet, as his certificate says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetProfile {
    pub iin: String,
    pub bin: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub template: Option<crate::Template>,
    /// The first head, or an employee with signing rights acting for him, may confirm
    /// the organisation's applications.
    pub may_confirm: bool,
}

/// An application waiting for the first head, as his cabinet lists it, with what his
/// decision signs (`crate::decision::Decision`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingApplication {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub number: crate::ApplicationNumber,
    pub full_name: String,
    pub iin: String,
    pub bin: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub template: crate::Template,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    /// SHA-256 (hex) of the two requests' PEM, as the audit trail's `created` row has them.
    pub authentication_request: String,
    pub signing_request: String,
}

/// «Подтвердить» or «Отклонить», signed with the head's signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedDecision {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub verdict: crate::decision::Verdict,
    /// Required to reject (3–500 characters, as a moderation reason).
    #[serde(default)]
    pub reason: Option<String>,
    /// The head's signing certificate, PEM.
    pub certificate: String,
    /// Hex of a DER ECDSA signature over `Decision::canonical`.
    pub signature: String,
}

/// «Отзыв ключа ЭЦП»: the certificate to revoke (PEM), why, and the signature over
/// `revocation::canonical` — by that certificate's own key, or, in the cabinet, by the
/// first head's signing key (then `signer_certificate` is his signing certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevocationRequest {
    pub certificate: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reason: crate::revocation::RevocationReason,
    #[serde(default)]
    pub signer_certificate: Option<String>,
    pub signature: String,
}

/// «Проверка ключа ЭЦП»: a certificate (PEM or base64 DER) to check. Only the
/// certificate travels; a `.p12` is opened in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateCheckRequest {
    pub certificate: String,
}

/// Where a checked certificate stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CertificateStanding {
    /// Our CA issued it, it is within its dates and not revoked.
    Valid,
    Revoked,
    Expired,
    NotYetValid,
    /// Not issued by our issuing CA: nothing more can be said about it.
    NotOurs,
}

/// What the key check shows: owner, organisation, role, key usage, validity, chain
/// and revocation status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateCheck {
    /// Upper-case hex.
    pub serial: String,
    /// The subject's common name.
    pub owner: String,
    pub iin: Option<String>,
    pub organisation: Option<String>,
    pub bin: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub template: Option<crate::Template>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub purpose: Option<crate::KeyPurpose>,
    /// RFC 5280 names: `digitalSignature`, `nonRepudiation`, … then the extended key
    /// usages `clientAuth`, `emailProtection`.
    pub key_usage: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub not_after: OffsetDateTime,
    /// Subject DNs from the certificate up to the root; only the certificate's own when
    /// it is not ours.
    pub chain: Vec<String>,
    pub standing: CertificateStanding,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub revoked_at: Option<OffsetDateTime>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub revocation_reason: Option<crate::revocation::RevocationReason>,
}

/// A certificate as the cabinet lists it: the holder's own, and for whoever may
/// confirm, the organisation's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldCertificate {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub number: crate::ApplicationNumber,
    pub full_name: String,
    pub iin: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub template: Option<crate::Template>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub purpose: crate::KeyPurpose,
    /// Upper-case hex.
    pub serial: String,
    /// PEM: what a revocation names.
    pub certificate: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub issued_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub revoked_at: Option<OffsetDateTime>,
}

/// How this deployment wants the page to behave, read by the SPA at start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientSettings {
    /// Set on public kiosks: fullscreen, on-screen keypads, wipe after idle time.
    pub kiosk: Option<KioskSettings>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskSettings {
    /// Seconds without a touch before the page asks «Продолжить?».
    pub idle_seconds: u32,
    /// Seconds the question stays before everything is wiped.
    pub countdown_seconds: u32,
}

impl KioskSettings {
    /// For trying kiosk mode with `?kiosk` on a server that is not a kiosk's.
    pub const TRIAL: Self = Self {
        idle_seconds: 120,
        countdown_seconds: 30,
    };
}
