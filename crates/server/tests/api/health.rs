use qoltanba_domain::api::Health;

use crate::{error_code, spawn_app};

#[tokio::test]
async fn health_reports_ok_and_the_version() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), 200);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn health_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.db.close().await;
    let (status, error) = error_code(app.get("/api/v1/health").await).await;
    assert_eq!((status, error.code.as_str()), (500, "internal"));
}

#[tokio::test]
async fn openapi_lists_the_served_routes() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert_eq!(doc["servers"][0]["url"], "/api");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/v1/health"), "{paths:?}");
    assert!(paths.contains_key("/dev/sms"), "{paths:?}");
}

#[tokio::test]
async fn unknown_api_paths_answer_in_the_error_shape() {
    let app = spawn_app().await;
    let (status, error) = error_code(app.get("/api/v1/nothing-here").await).await;
    assert_eq!((status, error.code.as_str()), (404, "not_found"));
}
