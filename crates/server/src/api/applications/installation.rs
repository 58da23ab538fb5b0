//! `PUT /v1/applications/{number}/installation`: «Сертификаты установлены», proved by
//! the number signed with the new authentication key.

use axum::extract::{Path, State};
use axum::Json;
use qoltanba_domain::api::{ApplicationView, InstallationProof};
use time::OffsetDateTime;

use super::{number, Applicant};
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

#[utoipa::path(put, path = "/v1/applications/{number}/installation",
    params(("number" = String, Path, description = "The 14-digit application number")),
    request_body = InstallationProof,
    responses((status = 200, body = ApplicationView), (status = 403), (status = 404),
              (status = 409), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    applicant: Applicant,
    ApiJson(proof): ApiJson<InstallationProof>,
) -> Result<Json<ApplicationView>, ApiError> {
    let view = state
        .applications
        .install(
            &number(&raw)?,
            applicant.0.as_deref(),
            &proof.signature,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(Json(view))
}
