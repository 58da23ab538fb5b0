//! `/v1/cabinet/sessions`: sign-in with the authentication certificate over a
//! challenge, who is signed in, and sign-out.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use qoltanba_domain::api::{CabinetProfile, CabinetSignIn};
use time::OffsetDateTime;

use crate::cabinet::{self, CabinetHolder};
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

type SetCookie = [(header::HeaderName, String); 1];

#[utoipa::path(post, path = "/v1/cabinet/sessions", request_body = CabinetSignIn,
    responses((status = 201, body = CabinetProfile,
               headers(("set-cookie" = String, description = "The session: `qoltanba_cabinet`"))),
              (status = 401)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CabinetSignIn>,
) -> Result<(StatusCode, SetCookie, Json<CabinetProfile>), ApiError> {
    let (token, holder) = cabinet::sign_in(
        &state.db,
        state.applications.authority(),
        &request,
        OffsetDateTime::now_utc(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        [(
            header::SET_COOKIE,
            cabinet::COOKIE.set(&token, state.secure_cookies),
        )],
        Json(holder.into()),
    ))
}

#[utoipa::path(get, path = "/v1/cabinet/sessions/current",
    responses((status = 200, body = CabinetProfile), (status = 401)))]
pub async fn current(holder: CabinetHolder) -> Json<CabinetProfile> {
    Json(holder.into())
}

#[utoipa::path(delete, path = "/v1/cabinet/sessions/current", responses((status = 204)))]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<(StatusCode, SetCookie), ApiError> {
    if let Some(token) = cabinet::COOKIE.token_of(&headers) {
        cabinet::sign_out(&state.db, &token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            cabinet::COOKIE.clear(state.secure_cookies),
        )],
    ))
}
