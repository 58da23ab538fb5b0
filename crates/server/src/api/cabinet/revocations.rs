//! `POST /v1/cabinet/revocations`: the first head revokes his organisation's
//! employees' certificates, signing with his own signing key.

use axum::extract::State;
use axum::http::StatusCode;
use qoltanba_domain::api::RevocationRequest;
use time::OffsetDateTime;

use crate::cabinet::CabinetHolder;
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

#[utoipa::path(post, path = "/v1/cabinet/revocations", request_body = RevocationRequest,
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn revoke(
    State(state): State<AppState>,
    holder: CabinetHolder,
    ApiJson(request): ApiJson<RevocationRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .applications
        .revoke(&request, Some(&holder), OffsetDateTime::now_utc())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
