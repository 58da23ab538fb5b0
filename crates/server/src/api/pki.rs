//! `/pki/…`: what relying parties fetch, at the addresses written into the
//! certificates (`ca::CRL_PATH`, `ca::OCSP_PATH`, `ca::ISSUING_CERTIFICATE_PATH`), and
//! the chain.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use time::OffsetDateTime;

use crate::ca;
use crate::ca::ocsp::{self, OcspError, ResponseStatus};
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
        .route(
            ca::OCSP_PATH.trim_start_matches("/pki"),
            post(ocsp_post).layer(DefaultBodyLimit::max(OCSP_REQUEST_LIMIT)),
        )
        // RFC 6960 appendix A.1: the base64 request, URL-encoded, after the address. A
        // client that leaves its '/' unencoded still lands here.
        .route(
            &format!("{}/{{*request}}", ca::OCSP_PATH.trim_start_matches("/pki")),
            get(ocsp_get),
        )
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

/// An OCSP request names a few certificates in a few hundred bytes.
const OCSP_REQUEST_LIMIT: usize = 16 * 1024;

const OCSP_RESPONSE: &str = "application/ocsp-response";

/// Whatever was sent, the answer is an `OCSPResponse` (HTTP 200): a signed one, or
/// `malformedRequest` for bytes that are not a request (too large included).
async fn ocsp_post(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> impl IntoResponse {
    let der = match body {
        Ok(body) => ocsp_answer(&state, &body).await,
        Err(_) => ocsp::refusal(ResponseStatus::MalformedRequest),
    };
    ([(CONTENT_TYPE, OCSP_RESPONSE)], der)
}

async fn ocsp_get(State(state): State<AppState>, Path(request): Path<String>) -> impl IntoResponse {
    let der = match base64::engine::general_purpose::STANDARD.decode(request) {
        Ok(request) if request.len() <= OCSP_REQUEST_LIMIT => ocsp_answer(&state, &request).await,
        _ => ocsp::refusal(ResponseStatus::MalformedRequest),
    };
    ([(CONTENT_TYPE, OCSP_RESPONSE)], der)
}

async fn ocsp_answer(state: &AppState, request: &[u8]) -> Vec<u8> {
    let applications = &state.applications;
    let answer = applications
        .authority()
        .ocsp(
            request,
            |serial| async move { applications.certificate_status(&serial).await },
            OffsetDateTime::now_utc(),
        )
        .await;
    match answer {
        Ok(der) => der,
        Err(OcspError::Malformed) => ocsp::refusal(ResponseStatus::MalformedRequest),
        Err(e) => {
            tracing::error!(error = %e, "OCSP answer failed");
            ocsp::refusal(ResponseStatus::InternalError)
        }
    }
}
