//! `GET /v1/client-settings`: how this deployment wants the page to behave (kiosk mode).

use axum::extract::State;
use axum::Json;
use qoltanba_domain::api::ClientSettings;

use crate::state::AppState;

#[utoipa::path(get, path = "/v1/client-settings", responses((status = 200, body = ClientSettings)))]
pub async fn get(State(state): State<AppState>) -> Json<ClientSettings> {
    Json(state.client_settings.clone())
}
