//! `/v1/phone-checks`: the mobile-citizens check of steps 3–4 of the guide.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::{
    CodeRequest, Language, PhoneCheckRequest, PhoneCheckStarted, PhoneCheckVerified,
};
use qoltanba_domain::otp::{OTP_MAX_ATTEMPTS, OTP_TTL_SECONDS};
use qoltanba_domain::{Bin, CertificateProfile, ErrorCode, Iin, OtpCode, PhoneNumber, Template};
use time::OffsetDateTime;

use crate::error::{ApiError, ApiJson};
use crate::phone_check::{Purpose, Started};
use crate::sms_texts;
use crate::state::AppState;

/// Checks the applicant against the registries and sends a code to the phone the
/// mobile-citizens database has for the IIN. Asking again after expiry sends a new one.
#[utoipa::path(post, path = "/v1/phone-checks", request_body = PhoneCheckRequest,
    responses((status = 201, body = PhoneCheckStarted), (status = 422), (status = 404),
              (status = 403), (status = 409), (status = 423), (status = 429)))]
pub async fn start(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    ApiJson(request): ApiJson<PhoneCheckRequest>,
) -> Result<(StatusCode, Json<PhoneCheckStarted>), ApiError> {
    let (iin, bin) = parse_identifiers(&request)?;
    let organisation = match &bin {
        Some(bin) => {
            let organisation = state
                .legal_entities
                .find(bin)
                .await?
                .ok_or(ApiError::BinNotFound)?;
            if request.profile.template() == Some(Template::FirstHead)
                && organisation.first_head != iin
            {
                return Err(ApiError::NotFirstHead);
            }
            Some(organisation.name)
        }
        None => None,
    };
    state
        .individuals
        .find(&iin)
        .await?
        .ok_or(ApiError::IinNotFound)?;
    let phone = state
        .mobile_citizens
        .phone_of(&iin)
        .await?
        .ok_or(ApiError::PhoneNotRegistered)?;
    let now = OffsetDateTime::now_utc();
    let started = state
        .phone_checks
        .start(
            Purpose::Application,
            &iin,
            bin.as_ref(),
            request.profile,
            &phone,
            &client.ip().to_string(),
            now,
        )
        .await?;
    send_code(&state, started, &phone, request.language, organisation).await
}

/// Sends a started check's code by SMS and answers the way both code-sending calls
/// (this one and the Digital ID sign-in) do.
pub async fn send_code(
    state: &AppState,
    started: Started,
    phone: &PhoneNumber,
    language: Language,
    organisation: Option<String>,
) -> Result<(StatusCode, Json<PhoneCheckStarted>), ApiError> {
    state
        .sms
        .send(phone, &sms_texts::one_time_code(language, &started.code))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PhoneCheckStarted {
            id: started.id,
            phone_masked: phone.masked(),
            organisation,
            expires_in_seconds: OTP_TTL_SECONDS,
            attempts_left: OTP_MAX_ATTEMPTS,
        }),
    ))
}

/// Every field's problem at once, so the form can show them together.
fn parse_identifiers(request: &PhoneCheckRequest) -> Result<(Iin, Option<Bin>), ApiError> {
    let mut fields = BTreeMap::new();
    let iin = Iin::parse(&request.iin)
        .map_err(|e| fields.insert("iin".to_owned(), e.code().to_owned()))
        .ok();
    let bin = match (request.profile, &request.bin) {
        (CertificateProfile::Individual, _) => None,
        (CertificateProfile::LegalEntity { .. }, None) => {
            fields.insert("bin".to_owned(), "bin.required".to_owned());
            None
        }
        (CertificateProfile::LegalEntity { .. }, Some(bin)) => Bin::parse(bin)
            .map_err(|e| fields.insert("bin".to_owned(), e.code().to_owned()))
            .ok(),
    };
    match iin {
        Some(iin) if fields.is_empty() => Ok((iin, bin)),
        _ => Err(ApiError::Validation(fields)),
    }
}

/// Checks the code from the SMS. Wrong codes count; the last one locks the IIN.
#[utoipa::path(post, path = "/v1/phone-checks/{id}/verification", request_body = CodeRequest,
    params(("id" = String, Path, description = "The check's id from the start call")),
    responses((status = 200, body = PhoneCheckVerified), (status = 400), (status = 404),
              (status = 410), (status = 422), (status = 423)))]
pub async fn verify(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<Json<PhoneCheckVerified>, ApiError> {
    let code = OtpCode::parse(&request.code).map_err(|e| ApiError::field("code", &e))?;
    let now = OffsetDateTime::now_utc();
    let verified = state.phone_checks.verify(&id, &code, now).await?;
    if verified.purpose == Purpose::DigitalId {
        state.digital_ids.signed_in(&verified.iin, now).await?;
    }
    let organisation = match &verified.bin {
        Some(bin) => state.legal_entities.find(bin).await?.map(|o| o.name),
        None => None,
    };
    Ok(Json(PhoneCheckVerified {
        iin: verified.iin.to_string(),
        organisation,
    }))
}
