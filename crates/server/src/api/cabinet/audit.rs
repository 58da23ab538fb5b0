//! `GET /v1/cabinet/audit`: the first head's view of his organisation's audit trail.

use axum::extract::State;
use axum::Json;
use qoltanba_domain::api::AuditTrail;

use crate::cabinet::CabinetHolder;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/v1/cabinet/audit",
    responses((status = 200, body = AuditTrail), (status = 401), (status = 403)))]
pub async fn get(
    State(state): State<AppState>,
    holder: CabinetHolder,
) -> Result<Json<AuditTrail>, ApiError> {
    Ok(Json(state.applications.organisation_trail(&holder).await?))
}
