//! `/v1/digital-id/consents`: steps 20–21, «Запрос доступа»: the holder lets the NCA
//! service have the verified identity, confirming with the PIN.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::{ConsentGranted, ConsentRequest};
use time::OffsetDateTime;

use super::Session;
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

#[utoipa::path(post, path = "/v1/digital-id/consents", request_body = ConsentRequest,
    responses((status = 201, body = ConsentGranted), (status = 400), (status = 401), (status = 409),
              (status = 422), (status = 423)))]
pub async fn grant(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<ConsentRequest>,
) -> Result<(StatusCode, Json<ConsentGranted>), ApiError> {
    let granted = state
        .digital_ids
        .consent(
            &session.id,
            &session.iin,
            &request.pin,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(granted)))
}
