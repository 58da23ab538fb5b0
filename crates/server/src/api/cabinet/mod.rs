//! `/v1/cabinet/…`: «Личный кабинет» of certificate holders (the first head confirms
//! his organisation's applications here). The session travels in an HttpOnly cookie
//! (`cabinet::COOKIE`).

pub mod applications;
pub mod audit;
pub mod certificates;
pub mod challenges;
pub mod revocations;
pub mod sessions;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use time::OffsetDateTime;

use crate::cabinet::{self, CabinetHolder};
use crate::error::ApiError;
use crate::state::AppState;

impl FromRequestParts<AppState> for CabinetHolder {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = cabinet::COOKIE
            .token_of(&parts.headers)
            .ok_or(ApiError::CabinetSession)?;
        cabinet::by_token(&state.db, &token, OffsetDateTime::now_utc())
            .await?
            .ok_or(ApiError::CabinetSession)
    }
}
