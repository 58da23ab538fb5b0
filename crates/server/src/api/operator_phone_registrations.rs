//! `/v1/operator/phone-registrations`: the operator registers the applicant's phone in
//! the mobile-citizens database during the video call, confirmed by the code the
//! applicant receives on it and reads aloud. Every route needs an operator's session.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::call::{
    PhoneRegistrationCode, PhoneRegistrationRequest, PhoneRegistrationStarted,
};
use qoltanba_domain::otp::OTP_TTL_SECONDS;
use qoltanba_domain::{ErrorCode, Iin, OtpCode, PhoneNumber};
use time::OffsetDateTime;

use crate::error::{ApiError, ApiJson};
use crate::operators::Operator;
use crate::sms_texts;
use crate::state::AppState;

/// Sends a code to the phone to register for the IIN, in the call's language. The IIN
/// must be in the individuals registry, and a call named must be one this operator is on.
#[utoipa::path(post, path = "/v1/operator/phone-registrations",
    request_body = PhoneRegistrationRequest,
    responses((status = 201, body = PhoneRegistrationStarted), (status = 401), (status = 404),
              (status = 422), (status = 429)))]
pub async fn start(
    operator: Operator,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PhoneRegistrationRequest>,
) -> Result<(StatusCode, Json<PhoneRegistrationStarted>), ApiError> {
    // Every field's problem at once, so the form can show them together.
    let mut fields = BTreeMap::new();
    let iin = Iin::parse(&request.iin)
        .map_err(|e| fields.insert("iin".to_owned(), e.code().to_owned()))
        .ok();
    let phone = PhoneNumber::parse(&request.phone)
        .map_err(|e| fields.insert("phone".to_owned(), e.code().to_owned()))
        .ok();
    let language = match &request.call {
        Some(call) => state.calls.on_call(call, &operator.login).or_else(|| {
            fields.insert("call".to_owned(), "call.not_answered".to_owned());
            None
        }),
        None => None,
    };
    let (Some(iin), Some(phone), true) = (iin, phone, fields.is_empty()) else {
        return Err(ApiError::Validation(fields));
    };
    state
        .individuals
        .find(&iin)
        .await?
        .ok_or(ApiError::IinNotFound)?;
    let started = state
        .phone_registrations
        .start(
            &iin,
            &phone,
            &operator.login,
            request.call.as_deref(),
            OffsetDateTime::now_utc(),
        )
        .await?;
    // Without a call, Russian: the guide's language.
    let language = language.unwrap_or_default();
    state
        .sms
        .send(
            &phone,
            &sms_texts::phone_registration_code(language, &started.code),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PhoneRegistrationStarted {
            id: started.id,
            expires_in_seconds: OTP_TTL_SECONDS,
        }),
    ))
}

/// The code the applicant read aloud: right, and the phone is registered in the
/// operator's name; wrong, and an attempt is spent (three in all, then a new code).
#[utoipa::path(post, path = "/v1/operator/phone-registrations/{id}/confirmation",
    request_body = PhoneRegistrationCode,
    params(("id" = String, Path, description = "The registration's id from the start call")),
    responses((status = 204), (status = 400), (status = 401), (status = 404), (status = 410),
              (status = 422)))]
pub async fn confirm(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PhoneRegistrationCode>,
) -> Result<StatusCode, ApiError> {
    let code = OtpCode::parse(&request.code).map_err(|e| ApiError::field("code", &e))?;
    state
        .phone_registrations
        .confirm(
            &id,
            &code,
            &operator.login,
            state.mobile_citizens.as_ref(),
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
