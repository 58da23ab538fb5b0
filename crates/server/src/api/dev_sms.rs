//! The SMS outbox, for the demo and the tests (only mounted with `--demo`).

use axum::extract::{Query, State};
use axum::Json;
use qoltanba_domain::api::SmsMessage;
use qoltanba_domain::PhoneNumber;
use serde::Deserialize;

use crate::error::ApiError;
use crate::sms::OutboxGateway;
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct Filter {
    /// Only messages to this phone number.
    to: Option<String>,
}

/// Sent messages, newest first.
#[utoipa::path(get, path = "/dev/sms", params(Filter), responses((status = 200, body = [SmsMessage])))]
pub async fn list(
    State(state): State<AppState>,
    Query(filter): Query<Filter>,
) -> Result<Json<Vec<SmsMessage>>, ApiError> {
    let to = filter
        .to
        .as_deref()
        .map(PhoneNumber::parse)
        .transpose()
        .map_err(|e| ApiError::field("to", &e))?;
    Ok(Json(OutboxGateway::list(&state.db, to.as_ref()).await?))
}
