//! The JSON API, one module per resource. Routes are registered through utoipa-axum,
//! so `/api/openapi.json` is generated from the very routes that are served.

mod applications;
mod cabinet;
mod calls;
mod certificate_checks;
mod client_settings;
mod dev_sms;
mod digital_id;
mod health;
mod liveness_challenges;
mod operator_calls;
mod operator_cases;
mod operator_phone_registrations;
mod operator_sessions;
mod phone_checks;
pub mod pki;
mod revocations;
mod selfies;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::document_photo;
use crate::error::ApiError;
use crate::state::AppState;

/// The secret of `Authorization: Bearer …`: a Digital ID session, the request id of the
/// browser that submitted an application, or a video call's token. Never in a URL, so
/// never in a log.
fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// The paths in the document are relative to the server entry: the API is mounted at `/api`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Qoltanba API",
        description = "Remote issuance of NCA RK electronic signature certificates"
    ),
    servers((url = "/api"))
)]
struct ApiDoc;

/// The API under `/api`, with its OpenAPI document.
pub fn router(state: AppState) -> Router {
    let mut api = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(client_settings::get))
        .routes(routes!(phone_checks::start))
        .routes(routes!(phone_checks::verify))
        .routes(routes!(selfies::upload))
        .routes(routes!(liveness_challenges::issue))
        .routes(routes!(liveness_challenges::submit))
        .routes(routes!(operator_sessions::sign_in))
        .routes(routes!(
            operator_sessions::current,
            operator_sessions::sign_out
        ))
        .routes(routes!(operator_cases::list))
        .routes(routes!(operator_cases::detail))
        .routes(routes!(operator_cases::photo))
        .routes(routes!(operator_cases::decide))
        .routes(routes!(digital_id::sign_ins::start))
        .routes(routes!(digital_id::pin::set))
        .routes(routes!(digital_id::documents::submit))
        .routes(routes!(digital_id::account::get))
        .routes(routes!(digital_id::account::seen))
        .routes(routes!(digital_id::consents::grant))
        .routes(routes!(applications::get))
        .routes(routes!(applications::certificates::get))
        .routes(routes!(applications::audit::get))
        .routes(routes!(cabinet::challenges::issue))
        .routes(routes!(cabinet::sessions::sign_in))
        .routes(routes!(
            cabinet::sessions::current,
            cabinet::sessions::sign_out
        ))
        .routes(routes!(cabinet::applications::list))
        .routes(routes!(cabinet::applications::decide))
        .routes(routes!(cabinet::revocations::revoke))
        .routes(routes!(cabinet::audit::get))
        .routes(routes!(cabinet::certificates::list))
        .routes(routes!(revocations::revoke))
        .routes(routes!(applications::installation::put))
        // The two signalling routes are WebSockets: the document names them and their
        // refusals; the messages are `Signal` (crates/domain/src/call.rs).
        .routes(routes!(calls::create))
        .routes(routes!(calls::leave))
        .routes(routes!(calls::signal))
        .routes(routes!(operator_calls::list))
        .routes(routes!(operator_calls::signal))
        .routes(routes!(operator_phone_registrations::start))
        .routes(routes!(operator_phone_registrations::confirm))
        .merge(
            // The only route that takes files: its own, larger body limit.
            OpenApiRouter::new()
                .routes(routes!(digital_id::document_photos::put))
                .layer(DefaultBodyLimit::max(document_photo::MAX_BYTES)),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(applications::submission::submit))
                .layer(DefaultBodyLimit::max(applications::submission::BODY_LIMIT)),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(certificate_checks::check))
                .layer(DefaultBodyLimit::max(certificate_checks::BODY_LIMIT)),
        );
    if state.demo {
        api = api.routes(routes!(dev_sms::list));
    }
    let (router, doc) = api.split_for_parts();
    let doc = axum::Json(doc);
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || async move { doc }),
        )
        // Unknown API paths answer in the API's error shape, never with the SPA.
        .fallback(|| async { ApiError::NotFound })
        .with_state(state)
}
