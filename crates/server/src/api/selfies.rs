//! `/v1/selfies`: the selfie of step 11 of the guide, checked again on the server.

use axum::extract::State;
use axum::http::StatusCode;
use qoltanba_domain::api::SelfieUpload;
use time::OffsetDateTime;

use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

/// Keeps the applicant's selfie for the liveness check (a new one replaces it).
#[utoipa::path(post, path = "/v1/selfies", request_body = SelfieUpload,
    responses((status = 204), (status = 401), (status = 413), (status = 422), (status = 423)))]
pub async fn upload(
    State(state): State<AppState>,
    ApiJson(upload): ApiJson<SelfieUpload>,
) -> Result<StatusCode, ApiError> {
    state
        .face_checks
        .store_selfie(&upload.session, &upload.image, OffsetDateTime::now_utc())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
