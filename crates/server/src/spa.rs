//! Serving the SPA that trunk built: files from the static folder, `index.html` for
//! every client-side route, long caching for content-hashed files, and a Content
//! Security Policy that admits trunk's inline boot script by its hash.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::services::{ServeDir, ServeFile};

/// The SPA's routes and files, or a plain explanation when it has not been built.
pub fn router(static_dir: &Path) -> Router {
    let index = static_dir.join("index.html");
    if !index.exists() {
        tracing::warn!(dir = %static_dir.display(), "no built SPA found: serving the API only");
        return Router::new().fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "The SPA is not built: `make run` builds it with trunk.",
            )
        });
    }
    let files = ServeDir::new(static_dir)
        .precompressed_gzip()
        .precompressed_br()
        .fallback(ServeFile::new(index));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
}

/// `make bench`'s pages and MediaPipe's web build at `/bench/`, when the server was
/// given a folder for them (`--bench-dir`); nothing otherwise.
pub fn bench(dir: Option<&Path>) -> Router {
    match dir {
        Some(dir) => Router::new().nest_service("/bench", ServeDir::new(dir)),
        None => Router::new(),
    }
}

/// trunk names its outputs `name-<16 hex digits>[_bg].ext`, so a changed file gets a
/// new name and the old one may be cached for ever; anything else must be revalidated.
async fn cache_headers(request: Request<Body>, next: Next) -> Response {
    let hashed = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let policy = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The Content Security Policy for the SPA in `static_dir`.
pub fn content_security_policy(static_dir: &Path) -> String {
    let hashes: String = std::fs::read_to_string(static_dir.join("index.html"))
        .map(|html| {
            inline_scripts(&html)
                .map(|script| {
                    let digest = Sha256::digest(script.as_bytes());
                    format!(
                        " 'sha256-{}'",
                        base64::engine::general_purpose::STANDARD.encode(digest)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         img-src 'self' data: blob:; media-src 'self' blob: mediastream:; style-src 'self'; \
         connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; \
         form-action 'self'"
    )
}

/// The exact text of every `<script>` element without a `src`, as browsers hash it.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        after.split_once("</script>").map(|(body, _)| body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_content_hashed("/qoltanba-web-ad225c8c47318db8_bg.wasm"));
        assert!(is_content_hashed("/qoltanba-web-ad225c8c47318db8.js"));
        assert!(is_content_hashed("/main-692ffc0bc7d9673d.css"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/public/favicon.svg"));
        assert!(!is_content_hashed("/apply/webcam"));
    }

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = "<script type=\"module\">boot()</script><script src=\"/x.js\"></script><script>\n</script>";
        assert_eq!(
            inline_scripts(html).collect::<Vec<_>>(),
            vec!["boot()", "\n"]
        );
    }
}
