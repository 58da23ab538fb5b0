//! `/v1/digital-id/…`: the Digital ID account of steps 8–21 of the guide, one module
//! per resource. After the sign-in every call carries the Digital ID session (the
//! verified sign-in's id) as `Authorization: Bearer …`: it never goes into a URL, so
//! it stays out of logs and histories.

pub mod account;
pub mod consents;
pub mod document_photos;
pub mod documents;
pub mod pin;
pub mod sign_ins;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use qoltanba_domain::Iin;
use time::OffsetDateTime;

use crate::error::ApiError;
use crate::state::AppState;

/// The applicant behind the bearer session.
pub struct Session {
    pub id: String,
    pub iin: Iin,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let id = super::bearer(&parts.headers)
            .ok_or(ApiError::NoSession)?
            .to_owned();
        let iin = state
            .face_checks
            .session(&id, OffsetDateTime::now_utc())
            .await?;
        Ok(Self { id, iin })
    }
}
