//! `GET /v1/applications/{number}/audit`: the application's audit trail, and whether
//! the chain of the whole trail verifies.

use axum::extract::{Path, State};
use axum::Json;
use qoltanba_domain::api::AuditTrail;

use super::{number, Applicant};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/v1/applications/{number}/audit",
    params(("number" = String, Path, description = "The 14-digit application number")),
    responses((status = 200, body = AuditTrail), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    applicant: Applicant,
) -> Result<Json<AuditTrail>, ApiError> {
    let trail = state
        .applications
        .audit_trail(&number(&raw)?, applicant.0.as_deref())
        .await?;
    Ok(Json(trail))
}
