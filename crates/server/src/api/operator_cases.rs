//! `/v1/operator/cases`: the moderation queue, each case with its photos, and the
//! operator's decision. Every route needs an operator's session (`Operator`).

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use qoltanba_domain::api::{CaseDetail, CaseSummary, Decision};
use time::OffsetDateTime;

use crate::error::{ApiError, ApiJson};
use crate::moderation::{self, CasePhoto};
use crate::operators::Operator;
use crate::state::AppState;

/// The documents waiting for an operator, oldest first.
#[utoipa::path(get, path = "/v1/operator/cases",
    responses((status = 200, body = [CaseSummary]), (status = 401)))]
pub async fn list(
    _operator: Operator,
    State(state): State<AppState>,
) -> Result<Json<Vec<CaseSummary>>, ApiError> {
    Ok(Json(moderation::queue(&state.db).await?))
}

/// A case in the queue: the typed fields, where they came from, the zone, the face
/// check's outcome, the registry's record and which photos are still held.
#[utoipa::path(get, path = "/v1/operator/cases/{id}",
    params(("id" = String, Path, description = "The case's (document's) id")),
    responses((status = 200, body = CaseDetail), (status = 401), (status = 404)))]
pub async fn detail(
    _operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CaseDetail>, ApiError> {
    Ok(Json(moderation::case(&state, &id).await?))
}

/// A photo of a case in the queue. Biometrics: never cached.
#[utoipa::path(get, path = "/v1/operator/cases/{id}/photos/{photo}",
    params(("id" = String, Path, description = "The case's id"),
           ("photo" = String, Path, description = "`selfie`, `front` or `back`")),
    responses((status = 200, content_type = "image/jpeg", description = "The photo"),
              (status = 401), (status = 404)))]
pub async fn photo(
    _operator: Operator,
    State(state): State<AppState>,
    Path((id, photo)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let photo = CasePhoto::from_code(&photo).ok_or(ApiError::NotFound)?;
    let bytes = moderation::photo(&state, &id, photo).await?;
    // The face check also takes PNG selfies.
    let content_type = match image::guess_format(&bytes) {
        Ok(image::ImageFormat::Png) => "image/png",
        _ => "image/jpeg",
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    ))
}

/// Approves or rejects (with a reason the applicant will read) a case, once.
#[utoipa::path(post, path = "/v1/operator/cases/{id}/decision", request_body = Decision,
    params(("id" = String, Path, description = "The case's id")),
    responses((status = 204), (status = 401), (status = 404), (status = 409), (status = 422)))]
pub async fn decide(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(decision): ApiJson<Decision>,
) -> Result<StatusCode, ApiError> {
    moderation::decide(
        &state,
        &id,
        &decision,
        &operator.login,
        OffsetDateTime::now_utc(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
