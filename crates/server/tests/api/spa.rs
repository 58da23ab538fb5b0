use base64::Engine;
use qoltanba_server::config::Config;
use qoltanba_server::startup::Application;
use sha2::{Digest, Sha256};

use crate::{error_code, spawn_app, INDEX_HTML};

#[tokio::test]
async fn client_side_routes_get_the_spa_with_its_boot_script_allowed() {
    let app = spawn_app().await;
    let response = app.get("/apply/webcam").await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"boot()"));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert_eq!(response.text().await.unwrap(), INDEX_HTML);
}

#[tokio::test]
async fn the_servers_own_paths_never_fall_back_to_the_spa() {
    let app = spawn_app().await;
    for path in ["/api", "/api/v2/health", "/pki", "/pki/nothing.crl"] {
        let (status, error) = error_code(app.get(path).await).await;
        assert_eq!((status, error.code.as_str()), (404, "not_found"), "{path}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/api/v1/health", "/api/v1/missing"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(
            headers["cross-origin-opener-policy"], "same-origin",
            "{path}"
        );
        assert!(headers["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("camera=(self)"));
        assert!(headers.contains_key("content-security-policy"), "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_good_and_compressed() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/qoltanba-web-0123456789abcdef_bg.wasm"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert!(response.bytes().await.unwrap().len() < 4096);
}

#[tokio::test]
async fn without_a_built_spa_the_api_still_runs() {
    let data_dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let app = Application::build(Config::for_tests(data_dir.path(), empty.path()))
        .await
        .expect("the app starts without the SPA");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let page = reqwest::get(format!("{address}/apply/webcam"))
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("not built"));
    let health = reqwest::get(format!("{address}/api/v1/health"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}
