//! `POST /v1/applications`: «Подать заявку» (step 25).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::{ApplicationCreated, ApplicationSubmission};
use time::OffsetDateTime;

use crate::applications::Submitted;
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

/// Requests are a few hundred bytes each; the rest is a handful of fields.
pub const BODY_LIMIT: usize = 32 * 1024;

/// 201 with a new number, or 200 with the first one when the same submission (same
/// request id and requests) comes again.
#[utoipa::path(post, path = "/v1/applications", request_body = ApplicationSubmission,
    responses((status = 201, body = ApplicationCreated), (status = 200, body = ApplicationCreated),
              (status = 401), (status = 409), (status = 413), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiJson(submission): ApiJson<ApplicationSubmission>,
) -> Result<(StatusCode, Json<ApplicationCreated>), ApiError> {
    match state
        .applications
        .submit(&submission, OffsetDateTime::now_utc())
        .await?
    {
        Submitted::Created(created) => Ok((StatusCode::CREATED, Json(created))),
        Submitted::Existing(existing) => Ok((StatusCode::OK, Json(existing))),
    }
}
