//! `/v1/digital-id/document-photos/{side}`: steps 15–16, the photos of the document's
//! front and back. The body is the JPEG itself (`Content-Type: image/jpeg`), not base64
//! in JSON: a 10 MB file stays 10 MB.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use qoltanba_domain::Side;
use time::OffsetDateTime;

use super::Session;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(put, path = "/v1/digital-id/document-photos/{side}",
    params(("side" = String, Path, description = "front or back")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 204), (status = 401), (status = 404), (status = 409), (status = 413),
              (status = 415), (status = 422), (status = 423)))]
pub async fn put(
    State(state): State<AppState>,
    session: Session,
    Path(side): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let side = Side::from_code(&side).ok_or(ApiError::NotFound)?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if declared != "image/jpeg" {
        return Err(ApiError::NotJpeg);
    }
    state
        .digital_ids
        .store_photo(
            &session.id,
            &session.iin,
            side,
            &body,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
