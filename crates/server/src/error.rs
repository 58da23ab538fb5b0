//! The API's errors, all rendered in one JSON shape: `{"error":{"code","message","fields"}}`.

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use qoltanba_domain::api::{ErrorBody, ErrorDetail};
use qoltanba_domain::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Fields that did not parse into domain types: field name → error code.
    #[error("some fields are invalid")]
    Validation(BTreeMap<String, String>),
    #[error("the request body is not the JSON this endpoint takes: {0}")]
    BadJson(String),
    #[error("no such resource")]
    NotFound,
    #[error("the request body is too large")]
    TooLarge,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// One invalid field, named as the client sent it.
    pub fn field(name: &str, error: &impl ErrorCode) -> Self {
        Self::Validation(BTreeMap::from([(name.to_owned(), error.code().to_owned())]))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            Self::BadJson(_) => (StatusCode::BAD_REQUEST, "bad_json"),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(Box::new(e))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::TooLarge
        } else {
            Self::BadJson(rejection.body_text())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let Self::Internal(source) = &self {
            // The details stay in the log; the client learns only that it failed.
            tracing::error!(error = %source, "request failed");
        }
        let fields = match &self {
            Self::Validation(fields) => fields.clone(),
            _ => BTreeMap::new(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message: self.to_string(),
                fields,
            },
        };
        (status, Json(body)).into_response()
    }
}

/// tower-http's body limit answers 413 with an empty body before any handler runs;
/// this gives that answer the API's one error shape too.
pub async fn json_for_bare_errors(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        ApiError::TooLarge.into_response()
    } else {
        response
    }
}
