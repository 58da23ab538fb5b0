//! `GET /v1/applications/{number}/certificates`: «Загрузить сертификаты» fetches them
//! to put them into key stores beside their keys.

use axum::extract::{Path, State};
use axum::Json;
use qoltanba_domain::api::IssuedCertificates;

use super::{number, Applicant};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/v1/applications/{number}/certificates",
    params(("number" = String, Path, description = "The 14-digit application number")),
    responses((status = 200, body = IssuedCertificates), (status = 403), (status = 404),
              (status = 409)))]
pub async fn get(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    applicant: Applicant,
) -> Result<Json<IssuedCertificates>, ApiError> {
    let certificates = state
        .applications
        .certificates(&number(&raw)?, applicant.0.as_deref())
        .await?;
    Ok(Json(certificates))
}
