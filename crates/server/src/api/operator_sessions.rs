//! `/v1/operator/sessions`: operators sign in to the moderation pages with a password;
//! the session travels in an HttpOnly cookie (`operators::COOKIE`).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use qoltanba_domain::api::{OperatorLogin, OperatorProfile};
use time::OffsetDateTime;

use crate::error::{ApiError, ApiJson};
use crate::operators::{self, Operator};
use crate::state::AppState;

type SetCookie = [(header::HeaderName, String); 1];

/// Signs in: the session cookie comes with the operator's profile. An unknown login and
/// a wrong password get the same answer, in the same time.
#[utoipa::path(post, path = "/v1/operator/sessions", request_body = OperatorLogin,
    responses((status = 201, body = OperatorProfile,
               headers(("set-cookie" = String, description = "The session: `qoltanba_operator`"))),
              (status = 401)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ApiJson(login): ApiJson<OperatorLogin>,
) -> Result<(StatusCode, SetCookie, Json<OperatorProfile>), ApiError> {
    let signed_in = operators::sign_in(
        &state.db,
        &login.login,
        &login.password,
        OffsetDateTime::now_utc(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        [(
            header::SET_COOKIE,
            operators::COOKIE.set(&signed_in.token, state.secure_cookies),
        )],
        Json(signed_in.operator.into()),
    ))
}

/// Who is signed in with this cookie.
#[utoipa::path(get, path = "/v1/operator/sessions/current",
    responses((status = 200, body = OperatorProfile), (status = 401)))]
pub async fn current(operator: Operator) -> Json<OperatorProfile> {
    Json(operator.into())
}

/// Signs out: the session ends on the server and the cookie is cleared (also when it
/// had expired already).
#[utoipa::path(delete, path = "/v1/operator/sessions/current", responses((status = 204)))]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<(StatusCode, SetCookie), ApiError> {
    if let Some(token) = operators::COOKIE.token_of(&headers) {
        operators::sign_out(&state.db, &token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            operators::COOKIE.clear(state.secure_cookies),
        )],
    ))
}
