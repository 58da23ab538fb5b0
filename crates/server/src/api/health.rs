use axum::extract::State;
use axum::Json;
use qoltanba_domain::api::Health;

use crate::error::ApiError;
use crate::state::AppState;

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/v1/health", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    sqlx::query("SELECT 1").execute(&state.db).await?;
    Ok(Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }))
}
