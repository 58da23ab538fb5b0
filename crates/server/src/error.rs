//! The API's errors, all rendered in one JSON shape: `{"error":{"code","message","fields"}}`.

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use qoltanba_domain::api::{ErrorBody, ErrorDetail};
use qoltanba_domain::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Fields that did not parse into domain types: field name → error code.
    #[error("some fields are invalid")]
    Validation(BTreeMap<String, String>),
    #[error("the request body is not the JSON this endpoint takes: {0}")]
    BadJson(String),
    #[error("no such resource")]
    NotFound,
    #[error("no organisation with this BIN in the legal entities registry")]
    BinNotFound,
    #[error("no person with this IIN in the individuals registry")]
    IinNotFound,
    #[error("this IIN is not the organisation's first head")]
    NotFirstHead,
    #[error("no phone is registered for this IIN in the mobile citizens database")]
    PhoneNotRegistered,
    #[error("locked after too many failed attempts")]
    Locked { retry_after_seconds: i64 },
    #[error("too many requests")]
    RateLimited { retry_after_seconds: i64 },
    #[error("wrong one-time code")]
    OtpWrong { attempts_left: u32 },
    #[error("the one-time code has expired")]
    OtpExpired,
    #[error("the request body is too large")]
    TooLarge,
    #[error("no verified phone check for this session, or it has expired")]
    NoSession,
    #[error("the picture must be a JPEG or PNG image of at most 1920×1920")]
    BadPicture,
    #[error("the selfie must show one face, large and centred")]
    SelfieRejected,
    #[error("take the selfie before the liveness check")]
    SelfieMissing,
    #[error("this challenge was already answered")]
    ChallengeUsed,
    #[error("this challenge has expired")]
    ChallengeExpired,
    #[error("the liveness check failed")]
    LivenessFailed { attempts_left: u32 },
    #[error("the face check failed too often: identification by an operator, or later")]
    IdentityLocked { retry_after_seconds: i64 },
    #[error("the document photo must be a JPEG file")]
    NotJpeg,
    #[error("the file is empty")]
    EmptyFile,
    #[error("the JPEG cannot be read, or is too small or too large to be a document photo")]
    BadDocumentPhoto,
    #[error("the face check of this session comes first")]
    IdentityMissing,
    #[error("the Digital ID PIN is not set")]
    PinMissing,
    #[error("both sides of the document must be photographed first")]
    PhotosMissing,
    #[error("a document was already submitted in this session")]
    DocumentSubmitted,
    #[error("no verified, valid document to share")]
    DocumentNotVerified,
    #[error("wrong PIN")]
    PinWrong { attempts_left: u32 },
    #[error("wrong login or password")]
    OperatorCredentials,
    #[error("sign in as an operator first: no valid session cookie")]
    OperatorSession,
    #[error("no case with this id waits in the moderation queue")]
    CaseNotFound,
    #[error("this case was decided already")]
    CaseDecided,
    #[error("no consent with this id, or its Digital ID session has ended")]
    NoConsent,
    #[error("this consent was used for an application already")]
    ConsentUsed,
    #[error("a key of these requests is certified in another application")]
    KeyUsed,
    #[error("this request id was used with other requests")]
    RequestReused,
    #[error("only the browser that submitted the application may do this")]
    NotApplicant,
    #[error("the application's certificates are not issued")]
    NotIssued,
    #[error("the installation proof does not verify with the authentication certificate")]
    BadProof,
    #[error("the application's status does not allow this")]
    WrongStatus,
    #[error("the sign-in challenge is unknown, used or expired: ask for a new one")]
    CabinetChallenge,
    #[error("the certificate was not issued by this authority")]
    CertificateNotOurs,
    #[error("the certificate is not valid at this time")]
    CertificateDates,
    #[error("the certificate is revoked")]
    CertificateRevoked,
    #[error("the certificate is of the other kind: authentication (AUTH_…) to sign in, signing to decide")]
    CertificatePurpose,
    #[error("not an X.509 certificate: PEM, or its DER in base64")]
    CertificateUnreadable,
    #[error("the signature does not verify with the certificate's key")]
    SignatureInvalid,
    #[error("sign in to the cabinet first: no valid session cookie")]
    CabinetSession,
    #[error("only the first head, or an employee with signing rights, may decide on applications")]
    MayNotConfirm,
    #[error("the application is another organisation's")]
    OtherOrganisation,
    #[error("the signing certificate is not the signed-in holder's")]
    SignerMismatch,
    #[error("the call's token is missing or is not this call's")]
    CallForbidden,
    #[error("the call is open on another connection already")]
    CallInUse,
    #[error("another operator has answered this call")]
    CallTaken,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// One invalid field, named as the client sent it.
    pub fn field(name: &str, error: &impl ErrorCode) -> Self {
        Self::Validation(BTreeMap::from([(name.to_owned(), error.code().to_owned())]))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            Self::BadJson(_) => (StatusCode::BAD_REQUEST, "bad_json"),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::BinNotFound => (StatusCode::NOT_FOUND, "bin_not_found"),
            Self::IinNotFound => (StatusCode::NOT_FOUND, "iin_not_found"),
            Self::NotFirstHead => (StatusCode::FORBIDDEN, "not_first_head"),
            Self::PhoneNotRegistered => (StatusCode::CONFLICT, "phone_not_registered"),
            Self::Locked { .. } => (StatusCode::LOCKED, "locked"),
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::OtpWrong { .. } => (StatusCode::BAD_REQUEST, "otp_wrong"),
            Self::OtpExpired => (StatusCode::GONE, "otp_expired"),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::NoSession => (StatusCode::UNAUTHORIZED, "no_session"),
            Self::BadPicture => (StatusCode::UNPROCESSABLE_ENTITY, "bad_picture"),
            Self::SelfieRejected => (StatusCode::UNPROCESSABLE_ENTITY, "selfie_rejected"),
            Self::SelfieMissing => (StatusCode::CONFLICT, "selfie_missing"),
            Self::ChallengeUsed => (StatusCode::CONFLICT, "challenge_used"),
            Self::ChallengeExpired => (StatusCode::GONE, "challenge_expired"),
            Self::LivenessFailed { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "liveness_failed"),
            Self::IdentityLocked { .. } => (StatusCode::LOCKED, "identity_locked"),
            Self::NotJpeg => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_jpeg"),
            Self::EmptyFile => (StatusCode::UNPROCESSABLE_ENTITY, "empty_file"),
            Self::BadDocumentPhoto => (StatusCode::UNPROCESSABLE_ENTITY, "bad_document_photo"),
            Self::IdentityMissing => (StatusCode::CONFLICT, "identity_missing"),
            Self::PinMissing => (StatusCode::CONFLICT, "pin_missing"),
            Self::PhotosMissing => (StatusCode::CONFLICT, "photos_missing"),
            Self::DocumentSubmitted => (StatusCode::CONFLICT, "document_submitted"),
            Self::DocumentNotVerified => (StatusCode::CONFLICT, "document_not_verified"),
            Self::PinWrong { .. } => (StatusCode::BAD_REQUEST, "pin_wrong"),
            Self::OperatorCredentials => (StatusCode::UNAUTHORIZED, "operator_credentials"),
            Self::OperatorSession => (StatusCode::UNAUTHORIZED, "operator_session"),
            Self::CaseNotFound => (StatusCode::NOT_FOUND, "case_not_found"),
            Self::CaseDecided => (StatusCode::CONFLICT, "case_decided"),
            Self::NoConsent => (StatusCode::UNAUTHORIZED, "no_consent"),
            Self::ConsentUsed => (StatusCode::CONFLICT, "consent_used"),
            Self::KeyUsed => (StatusCode::CONFLICT, "key_used"),
            Self::RequestReused => (StatusCode::CONFLICT, "request_reused"),
            Self::NotApplicant => (StatusCode::FORBIDDEN, "not_applicant"),
            Self::NotIssued => (StatusCode::CONFLICT, "not_issued"),
            Self::BadProof => (StatusCode::UNPROCESSABLE_ENTITY, "bad_proof"),
            Self::WrongStatus => (StatusCode::CONFLICT, "wrong_status"),
            Self::CabinetChallenge => (StatusCode::UNAUTHORIZED, "challenge_invalid"),
            Self::CertificateNotOurs => (StatusCode::UNAUTHORIZED, "certificate_not_ours"),
            Self::CertificateDates => (StatusCode::UNAUTHORIZED, "certificate_dates"),
            Self::CertificateRevoked => (StatusCode::UNAUTHORIZED, "certificate_revoked"),
            Self::CertificatePurpose => (StatusCode::UNAUTHORIZED, "certificate_purpose"),
            Self::CertificateUnreadable => {
                (StatusCode::UNPROCESSABLE_ENTITY, "certificate_unreadable")
            }
            Self::SignatureInvalid => (StatusCode::UNAUTHORIZED, "signature_invalid"),
            Self::CabinetSession => (StatusCode::UNAUTHORIZED, "cabinet_session"),
            Self::MayNotConfirm => (StatusCode::FORBIDDEN, "may_not_confirm"),
            Self::OtherOrganisation => (StatusCode::FORBIDDEN, "other_organisation"),
            Self::SignerMismatch => (StatusCode::FORBIDDEN, "signer_mismatch"),
            Self::CallForbidden => (StatusCode::FORBIDDEN, "call_forbidden"),
            Self::CallInUse => (StatusCode::CONFLICT, "call_in_use"),
            Self::CallTaken => (StatusCode::CONFLICT, "call_taken"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<crate::registries::RegistryError> for ApiError {
    fn from(e: crate::registries::RegistryError) -> Self {
        Self::Internal(Box::new(e))
    }
}

impl From<crate::sms::SmsError> for ApiError {
    fn from(e: crate::sms::SmsError) -> Self {
        Self::Internal(Box::new(e))
    }
}

impl From<crate::face_check::FaceCheckError> for ApiError {
    fn from(e: crate::face_check::FaceCheckError) -> Self {
        use crate::face_check::FaceCheckError as E;
        match e {
            E::NoSession => Self::NoSession,
            E::Picture(_) => Self::BadPicture,
            E::SelfieRejected => Self::SelfieRejected,
            E::SelfieMissing => Self::SelfieMissing,
            E::NotFound => Self::NotFound,
            E::ChallengeUsed => Self::ChallengeUsed,
            E::ChallengeExpired => Self::ChallengeExpired,
            E::Failed { attempts_left, .. } => Self::LivenessFailed { attempts_left },
            E::Locked { until } => Self::IdentityLocked {
                retry_after_seconds: seconds_until(until),
            },
            E::Model(e) => Self::Internal(Box::new(e)),
            E::Models(e) => Self::Internal(Box::new(e)),
            E::Registry(e) => e.into(),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::digital_id::DigitalIdError> for ApiError {
    fn from(e: crate::digital_id::DigitalIdError) -> Self {
        use crate::digital_id::DigitalIdError as E;
        use crate::document_photo::PhotoError;
        match e {
            E::IdentityMissing => Self::IdentityMissing,
            E::PinMissing => Self::PinMissing,
            E::PhotosMissing => Self::PhotosMissing,
            E::AlreadySubmitted => Self::DocumentSubmitted,
            E::NotVerified => Self::DocumentNotVerified,
            E::WrongPin { attempts_left } => Self::PinWrong { attempts_left },
            E::Locked { until } => Self::Locked {
                retry_after_seconds: seconds_until(until),
            },
            E::Fields(fields) => Self::Validation(
                fields
                    .into_iter()
                    .map(|(f, c)| (f.to_owned(), c.to_owned()))
                    .collect(),
            ),
            E::Photo(PhotoError::Empty) => Self::EmptyFile,
            E::Photo(PhotoError::NotJpeg) => Self::NotJpeg,
            E::Photo(PhotoError::Unreadable) => Self::BadDocumentPhoto,
            E::Registry(e) => e.into(),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::operators::OperatorError> for ApiError {
    fn from(e: crate::operators::OperatorError) -> Self {
        use crate::operators::OperatorError as E;
        match e {
            E::WrongCredentials => Self::OperatorCredentials,
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::moderation::ModerationError> for ApiError {
    fn from(e: crate::moderation::ModerationError) -> Self {
        use crate::moderation::ModerationError as E;
        match e {
            E::NotInQueue => Self::CaseNotFound,
            E::AlreadyDecided => Self::CaseDecided,
            E::NoPhoto => Self::NotFound,
            E::Reason(e) => Self::field("reason", &e),
            E::Vault(e) => Self::Internal(Box::new(e)),
            E::Registry(e) => e.into(),
            E::Database(e) => e.into(),
        }
    }
}

/// Rounded up, so "try again after" is never a moment too early.
fn seconds_until(until: time::OffsetDateTime) -> i64 {
    let left = until - time::OffsetDateTime::now_utc();
    (left.as_seconds_f64().ceil() as i64).max(1)
}

impl From<crate::phone_check::CheckError> for ApiError {
    fn from(e: crate::phone_check::CheckError) -> Self {
        use crate::phone_check::CheckError;
        match e {
            CheckError::Locked { until } => Self::Locked {
                retry_after_seconds: seconds_until(until),
            },
            CheckError::RateLimited { retry_after } => Self::RateLimited {
                retry_after_seconds: seconds_until(time::OffsetDateTime::now_utc() + retry_after),
            },
            CheckError::NotFound => Self::NotFound,
            CheckError::Expired => Self::OtpExpired,
            CheckError::Wrong { attempts_left } => Self::OtpWrong { attempts_left },
            CheckError::Database(e) => e.into(),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(Box::new(e))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::TooLarge
        } else {
            Self::BadJson(rejection.body_text())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let Self::Internal(source) = &self {
            // The details stay in the log; the client learns only that it failed.
            tracing::error!(error = %source, "request failed");
        }
        let fields = match &self {
            Self::Validation(fields) => fields.clone(),
            _ => BTreeMap::new(),
        };
        let retry_after_seconds = match self {
            Self::Locked {
                retry_after_seconds,
            }
            | Self::RateLimited {
                retry_after_seconds,
            }
            | Self::IdentityLocked {
                retry_after_seconds,
            } => Some(retry_after_seconds),
            _ => None,
        };
        let attempts_left = match self {
            Self::OtpWrong { attempts_left }
            | Self::LivenessFailed { attempts_left }
            | Self::PinWrong { attempts_left } => Some(attempts_left),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message: self.to_string(),
                fields,
                retry_after_seconds,
                attempts_left,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after_seconds {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// tower-http's body limit answers 413 with an empty body before any handler runs;
/// this gives that answer the API's one error shape too.
pub async fn json_for_bare_errors(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        ApiError::TooLarge.into_response()
    } else {
        response
    }
}

/// `axum::Json`, with its rejections (bad JSON, wrong content type, too large) in the
/// API's error shape.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<crate::applications::ApplicationError> for ApiError {
    fn from(e: crate::applications::ApplicationError) -> Self {
        use crate::applications::ApplicationError as E;
        match e {
            E::NoConsent => Self::NoConsent,
            E::ConsentUsed => Self::ConsentUsed,
            E::KeyUsed => Self::KeyUsed,
            E::RequestReused => Self::RequestReused,
            E::Fields(fields) => Self::Validation(
                fields
                    .into_iter()
                    .map(|(f, c)| (f.to_owned(), c.to_owned()))
                    .collect(),
            ),
            E::NotFound => Self::NotFound,
            E::NotApplicant => Self::NotApplicant,
            E::NotIssued => Self::NotIssued,
            E::BadProof => Self::BadProof,
            E::Transition(_) => Self::WrongStatus,
            E::MayNotConfirm => Self::MayNotConfirm,
            E::OtherOrganisation => Self::OtherOrganisation,
            E::SignerMismatch => Self::SignerMismatch,
            E::Cabinet(e) => e.into(),
            E::RegistryGap => Self::Internal(Box::new(e)),
            E::Ca(e) => Self::Internal(Box::new(e)),
            E::Registry(e) => e.into(),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::cabinet::CabinetError> for ApiError {
    fn from(e: crate::cabinet::CabinetError) -> Self {
        use crate::ca::HolderCheckError as H;
        use crate::cabinet::CabinetError as E;
        match e {
            E::Challenge => Self::CabinetChallenge,
            E::Certificate(H::NotOurs | H::Unreadable) => Self::CertificateNotOurs,
            E::Certificate(H::OutOfDates) => Self::CertificateDates,
            E::Revoked => Self::CertificateRevoked,
            E::Purpose => Self::CertificatePurpose,
            E::Signature => Self::SignatureInvalid,
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::calls::CallsError> for ApiError {
    fn from(e: crate::calls::CallsError) -> Self {
        use crate::calls::CallsError as E;
        use qoltanba_domain::call::CallError;
        match e {
            // An ended call is gone from the queue at once.
            E::NotFound | E::State(CallError::Over) => Self::NotFound,
            E::Forbidden => Self::CallForbidden,
            E::InUse => Self::CallInUse,
            E::State(CallError::Taken) => Self::CallTaken,
        }
    }
}

impl From<crate::phone_registration::RegistrationError> for ApiError {
    fn from(e: crate::phone_registration::RegistrationError) -> Self {
        use crate::phone_registration::RegistrationError as E;
        match e {
            E::RateLimited { retry_after } => Self::RateLimited {
                retry_after_seconds: seconds_until(time::OffsetDateTime::now_utc() + retry_after),
            },
            E::NotFound => Self::NotFound,
            E::Expired => Self::OtpExpired,
            E::Wrong { attempts_left } => Self::OtpWrong { attempts_left },
            E::Registry(e) => e.into(),
            E::Database(e) => e.into(),
        }
    }
}
