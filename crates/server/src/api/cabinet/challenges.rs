//! `POST /v1/cabinet/challenges`: a one-time challenge for the sign-in.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::CabinetChallenge;
use time::OffsetDateTime;

use crate::cabinet;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(post, path = "/v1/cabinet/challenges",
    responses((status = 201, body = CabinetChallenge)))]
pub async fn issue(
    State(state): State<AppState>,
) -> Result<(StatusCode, Json<CabinetChallenge>), ApiError> {
    let challenge = cabinet::challenge(&state.db, OffsetDateTime::now_utc()).await?;
    Ok((StatusCode::CREATED, Json(challenge)))
}
