//! `/pki/…`: what relying parties fetch, at the addresses written into the
//! certificates (`ca::CRL_PATH`, `ca::ISSUING_CERTIFICATE_PATH`), and the chain.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use time::OffsetDateTime;

use crate::ca;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(ca::CHAIN_PATH.trim_start_matches("/pki"), get(chain))
        .route(
            ca::ISSUING_CERTIFICATE_PATH.trim_start_matches("/pki"),
            get(issuing),
        )
        .route(ca::CRL_PATH.trim_start_matches("/pki"), get(crl))
        // A client asking for anything else gets a 404, never the SPA's page.
        .fallback(|| async { ApiError::NotFound })
        .with_state(state)
}

async fn chain(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let pem = state
        .applications
        .authority()
        .chain_pem()
        .map_err(internal)?;
    Ok(([(CONTENT_TYPE, "application/pem-certificate-chain")], pem))
}

async fn issuing(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let der = state
        .applications
        .authority()
        .issuing_der()
        .map_err(internal)?;
    Ok(([(CONTENT_TYPE, "application/pkix-cert")], der))
}

async fn crl(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let der = state.applications.crl(OffsetDateTime::now_utc()).await?;
    Ok((
        [
            (CONTENT_TYPE, "application/pkix-crl"),
            (CACHE_CONTROL, "max-age=3600"),
        ],
        der,
    ))
}

fn internal(e: ca::CaError) -> ApiError {
    ApiError::Internal(Box::new(e))
}
