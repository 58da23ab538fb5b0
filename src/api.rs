//! Calls to our API, with a timeout, and failures sorted into what the user can do.

use gloo_net::http::{Request, RequestBuilder};
use qoltanba_domain::api::ErrorDetail;
use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::AbortController;

/// Long enough for a slow mobile connection, short enough that nobody waits in vain.
const TIMEOUT_MS: u32 = 15_000;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiFailure {
    #[error("the server could not be reached")]
    Network,
    #[error("the server did not answer in time")]
    Timeout,
    #[error("the server failed")]
    Server,
    /// The server understood and said no; `code` says why.
    #[error("refused: {}", .0.code)]
    Refused(ErrorDetail),
}

pub async fn get<R: DeserializeOwned>(path: &str) -> Result<R, ApiFailure> {
    send(Request::get(path), without_body).await
}

pub async fn post<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<R, ApiFailure> {
    send(Request::post(path), json(body)).await
}

pub async fn delete<R: DeserializeOwned>(path: &str) -> Result<R, ApiFailure> {
    send(Request::delete(path), without_body).await
}

fn without_body(request: RequestBuilder) -> Result<Request, ApiFailure> {
    request.build().map_err(|_| ApiFailure::Network)
}

fn json<B: Serialize>(body: &B) -> impl FnOnce(RequestBuilder) -> Result<Request, ApiFailure> + '_ {
    move |request| request.json(body).map_err(|_| ApiFailure::Network)
}

/// Calls that carry a secret in the Authorization header, never in a URL: a Digital ID
/// member's session, or the request id of the browser that submitted an application.
#[derive(Debug, Clone, Copy)]
pub struct Bearer<'a>(pub &'a str);

impl Bearer<'_> {
    fn authorised(&self, request: RequestBuilder) -> RequestBuilder {
        request.header("Authorization", &format!("Bearer {}", self.0))
    }

    pub async fn get<R: DeserializeOwned>(&self, path: &str) -> Result<R, ApiFailure> {
        send(self.authorised(Request::get(path)), without_body).await
    }

    pub async fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<R, ApiFailure> {
        send(self.authorised(Request::post(path)), json(body)).await
    }

    pub async fn put<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<R, ApiFailure> {
        send(self.authorised(Request::put(path)), json(body)).await
    }

    pub async fn delete<R: DeserializeOwned>(&self, path: &str) -> Result<R, ApiFailure> {
        send(self.authorised(Request::delete(path)), without_body).await
    }

    /// A JPEG file or camera shot, sent as it is.
    pub async fn put_jpeg(&self, path: &str, jpeg: &web_sys::Blob) -> Result<(), ApiFailure> {
        let request = self
            .authorised(Request::put(path))
            .header("Content-Type", "image/jpeg");
        send(request, |r| r.body(jpeg).map_err(|_| ApiFailure::Network)).await
    }
}

async fn send<R: DeserializeOwned>(
    request: RequestBuilder,
    with_body: impl FnOnce(RequestBuilder) -> Result<Request, ApiFailure>,
) -> Result<R, ApiFailure> {
    let controller = AbortController::new().map_err(|_| ApiFailure::Network)?;
    let signal = controller.signal();
    let request = with_body(request.abort_signal(Some(&signal)))?;
    // Dropping the timer cancels it once the answer is in.
    let _timer = gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || controller.abort());
    let response = request.send().await.map_err(|_| {
        if signal.aborted() {
            ApiFailure::Timeout
        } else {
            ApiFailure::Network
        }
    })?;
    if response.status() == 204 {
        // No content: only `()` (or an Option) reads from JSON's null.
        return serde_json::from_str("null").map_err(|_| ApiFailure::Server);
    }
    if response.ok() {
        return response.json().await.map_err(|_| ApiFailure::Server);
    }
    if response.status() >= 500 {
        return Err(ApiFailure::Server);
    }
    match response.json::<qoltanba_domain::api::ErrorBody>().await {
        Ok(body) => Err(ApiFailure::Refused(body.error)),
        Err(_) => Err(ApiFailure::Server),
    }
}
