//! `POST /v1/revocations`: «Отзыв ключа ЭЦП» by the holder, signed with the key of the
//! certificate he revokes. The CRL at `/pki/issuing.crl` lists it from then on.

use axum::extract::State;
use axum::http::StatusCode;
use time::OffsetDateTime;

use crate::error::{ApiError, ApiJson};
use crate::state::AppState;
use qoltanba_domain::api::RevocationRequest;

#[utoipa::path(post, path = "/v1/revocations", request_body = RevocationRequest,
    responses((status = 204), (status = 401), (status = 404), (status = 409)))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RevocationRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .applications
        .revoke(&request, None, OffsetDateTime::now_utc())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
