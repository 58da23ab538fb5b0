//! `/v1/digital-id/documents`: steps 17–18, «Подтвердить документ» and the check
//! against the individuals registry.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::{DocumentSubmission, DocumentView};
use time::OffsetDateTime;

use super::Session;
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

/// `verified` when everything matches the registry, `moderation` otherwise; an
/// expired document or a bad check digit is a 422 on its field and stores nothing.
#[utoipa::path(post, path = "/v1/digital-id/documents", request_body = DocumentSubmission,
    responses((status = 201, body = DocumentView), (status = 401), (status = 409), (status = 422),
              (status = 423)))]
pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    ApiJson(submission): ApiJson<DocumentSubmission>,
) -> Result<(StatusCode, Json<DocumentView>), ApiError> {
    let view = state
        .digital_ids
        .submit(
            &session.id,
            &session.iin,
            submission,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}
