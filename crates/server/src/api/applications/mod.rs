//! `/v1/applications…`: steps 22–27 of the guide. The browser that submitted an
//! application proves it with its request id as `Authorization: Bearer …`; anyone
//! else with the number sees the status with the personal data masked.

pub mod audit;
pub mod certificates;
pub mod installation;
pub mod submission;

use axum::extract::State;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::Json;
use qoltanba_domain::api::ApplicationView;
use qoltanba_domain::ApplicationNumber;

use crate::error::ApiError;
use crate::state::AppState;

/// The caller's request id, when it sent one.
pub struct Applicant(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Applicant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Self(super::bearer(&parts.headers).map(str::to_owned)))
    }
}

fn number(raw: &str) -> Result<ApplicationNumber, ApiError> {
    ApplicationNumber::parse(raw).map_err(|e| ApiError::field("number", &e))
}

/// «Проверка статуса заявки»: «Номер заявки» → «Искать».
#[utoipa::path(get, path = "/v1/applications/{number}",
    params(("number" = String, Path, description = "The 14-digit application number")),
    responses((status = 200, body = ApplicationView), (status = 404), (status = 422)))]
pub async fn get(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    applicant: Applicant,
) -> Result<Json<ApplicationView>, ApiError> {
    let view = state
        .applications
        .view(&number(&raw)?, applicant.0.as_deref())
        .await?;
    Ok(Json(view))
}
