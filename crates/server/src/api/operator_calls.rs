//! `/v1/operator/calls`: the operator's side of the video call — the queue of waiting
//! applicants and the socket that answers one. Every route needs an operator's session.

use std::time::Instant;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use qoltanba_domain::call::WaitingCall;

use crate::error::ApiError;
use crate::operators::Operator;
use crate::state::AppState;

/// The calls waiting for an operator, first in line first.
#[utoipa::path(get, path = "/v1/operator/calls",
    responses((status = 200, body = [WaitingCall]), (status = 401)))]
pub async fn list(_operator: Operator, State(state): State<AppState>) -> Json<Vec<WaitingCall>> {
    Json(state.calls.waiting(Instant::now()))
}

/// Answers a call by opening its signalling socket (the session cookie is checked,
/// and the call taken, before the upgrade): the applicant hears `answered` with the
/// operator's name, the operator `joined` and then makes the WebRTC offer.
#[utoipa::path(get, path = "/v1/operator/calls/{id}/signal",
    params(("id" = String, Path, description = "The call's id")),
    responses((status = 101, description = "The signalling socket (JSON `Signal`s)"),
              (status = 401), (status = 404), (status = 409)))]
pub async fn signal(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let line = state.calls.answer(&id, &operator)?;
    Ok(super::calls::upgrade(ws, line))
}
