//! `/v1/cabinet/applications`: the organisation's applications waiting for the first
//! head, and his signed decision on one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::{PendingApplication, SignedDecision};
use qoltanba_domain::decision::Verdict;
use qoltanba_domain::ApplicationNumber;
use time::OffsetDateTime;

use crate::cabinet::CabinetHolder;
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;
use crate::{sms, sms_texts};

#[utoipa::path(get, path = "/v1/cabinet/applications",
    responses((status = 200, body = Vec<PendingApplication>), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    holder: CabinetHolder,
) -> Result<Json<Vec<PendingApplication>>, ApiError> {
    Ok(Json(state.applications.pending(&holder).await?))
}

/// 204 once recorded: confirmed applications are issued at once, rejected ones show the
/// reason in their status table; the applicant gets an SMS either way.
#[utoipa::path(post, path = "/v1/cabinet/applications/{number}/decision",
    params(("number" = String, Path, description = "The 14-digit application number")),
    request_body = SignedDecision,
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409),
              (status = 422)))]
pub async fn decide(
    State(state): State<AppState>,
    holder: CabinetHolder,
    Path(raw): Path<String>,
    ApiJson(decision): ApiJson<SignedDecision>,
) -> Result<StatusCode, ApiError> {
    let number = ApplicationNumber::parse(&raw).map_err(|e| ApiError::field("number", &e))?;
    let decided = state
        .applications
        .decide(&holder, &number, &decision, OffsetDateTime::now_utc())
        .await?;
    let text = match decision.verdict {
        Verdict::Confirm => sms_texts::application_confirmed(decided.language, number.as_str()),
        Verdict::Reject => sms_texts::application_rejected(decided.language, number.as_str()),
    };
    sms::notify(
        &state,
        &decided.applicant,
        &text,
        "the first head's decision",
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}
