//! `/v1/digital-id/pin`: step 13, «Задать PIN-код», after the face check.

use axum::extract::State;
use axum::http::StatusCode;
use qoltanba_domain::api::PinChoice;
use time::OffsetDateTime;

use super::Session;
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

#[utoipa::path(put, path = "/v1/digital-id/pin", request_body = PinChoice,
    responses((status = 204), (status = 401), (status = 409), (status = 422), (status = 423)))]
pub async fn set(
    State(state): State<AppState>,
    session: Session,
    ApiJson(choice): ApiJson<PinChoice>,
) -> Result<StatusCode, ApiError> {
    state
        .digital_ids
        .set_pin(
            &session.id,
            &session.iin,
            &choice.pin,
            &choice.again,
            OffsetDateTime::now_utc(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
