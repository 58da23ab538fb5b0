//! `/v1/digital-id/sign-ins`: step 8, «Введите номер телефона» and «Код из СМС». The
//! code is checked by `/v1/phone-checks/{id}/verification`, like the first one; the
//! verified check's id is the Digital ID session.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::{DigitalIdSignIn, PhoneCheckStarted};
use qoltanba_domain::PhoneNumber;
use time::OffsetDateTime;

use crate::api::phone_checks::send_code;
use crate::error::{ApiError, ApiJson};
use crate::phone_check::{self, Purpose};
use crate::state::AppState;

/// Sends a code when the typed phone is the one the mobile-citizens database has for
/// the applicant of the (verified) application check.
#[utoipa::path(post, path = "/v1/digital-id/sign-ins", request_body = DigitalIdSignIn,
    responses((status = 201, body = PhoneCheckStarted), (status = 401), (status = 409),
              (status = 422), (status = 423), (status = 429)))]
pub async fn start(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    ApiJson(request): ApiJson<DigitalIdSignIn>,
) -> Result<(StatusCode, Json<PhoneCheckStarted>), ApiError> {
    let phone = PhoneNumber::parse(&request.phone).map_err(|e| ApiError::field("phone", &e))?;
    let now = OffsetDateTime::now_utc();
    let application =
        phone_check::verified(&state.db, &request.application, Purpose::Application, now)
            .await?
            .ok_or(ApiError::NoSession)?;
    let registered = state
        .mobile_citizens
        .phone_of(&application.iin)
        .await?
        .ok_or(ApiError::PhoneNotRegistered)?;
    if registered != phone {
        return Err(ApiError::Validation(
            [(
                "phone".to_owned(),
                "phone.not_registered_for_iin".to_owned(),
            )]
            .into(),
        ));
    }
    let started = state
        .phone_checks
        .start(
            Purpose::DigitalId,
            &application.iin,
            application.bin.as_ref(),
            application.profile,
            &phone,
            &client.ip().to_string(),
            now,
        )
        .await?;
    send_code(&state, started, &phone, request.language, None).await
}
