//! `GET /v1/cabinet/certificates`: the holder's own certificates, and for whoever may
//! confirm, his organisation's (what he may revoke).

use axum::extract::State;
use axum::Json;
use qoltanba_domain::api::HeldCertificate;

use crate::cabinet::CabinetHolder;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/v1/cabinet/certificates",
    responses((status = 200, body = Vec<HeldCertificate>), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    holder: CabinetHolder,
) -> Result<Json<Vec<HeldCertificate>>, ApiError> {
    Ok(Json(state.applications.held_certificates(&holder).await?))
}
