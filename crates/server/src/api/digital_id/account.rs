//! `/v1/digital-id/account`: step 19, the holder's «Документы», «История операций» and
//! «Данные и безопасность».

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::Account;
use time::OffsetDateTime;

use super::Session;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/v1/digital-id/account",
    responses((status = 200, body = Account), (status = 401)))]
pub async fn get(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Account>, ApiError> {
    let account = state
        .digital_ids
        .account(&session.id, &session.iin, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(account))
}

/// «Посмотреть»: the new decision has been read.
#[utoipa::path(post, path = "/v1/digital-id/account/notifications-seen",
    responses((status = 204), (status = 401)))]
pub async fn seen(State(state): State<AppState>, session: Session) -> Result<StatusCode, ApiError> {
    state.digital_ids.mark_seen(&session.iin).await?;
    Ok(StatusCode::NO_CONTENT)
}
