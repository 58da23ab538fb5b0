//! Moderation through the API: the operator's sign-in.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::{error_code, spawn_app, TestApp};

const LOGIN: &str = "operator";
const PASSWORD: &str = "demo-operator-2026";

async fn sign_in(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/operator/sessions"))
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_demo_operator_signs_in_with_the_right_password_only() {
    let app = spawn_app().await;
    let response = sign_in(&app, LOGIN, PASSWORD).await;
    assert_eq!(response.status(), 201);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    let profile: Value = response.json().await.unwrap();
    assert_eq!(
        profile,
        json!({ "login": "operator", "name": "Оператор НУЦ (демо)" })
    );
    let (cookie, attributes) = set_cookie.split_once(';').unwrap();
    let token = cookie.strip_prefix("qoltanba_operator=").unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/operator"] {
        assert!(attributes.contains(attribute), "{set_cookie}");
    }
    // The database holds only the token's hash.
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM operator_sessions")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored, [Sha256::digest(token.as_bytes()).to_vec()]);

    let current = get(&app, "/api/v1/operator/sessions/current", cookie).await;
    assert_eq!(current.status(), 200);
    assert_eq!(current.json::<Value>().await.unwrap(), profile);

    // A wrong password and an unknown login cannot be told apart.
    let wrong = error_code(sign_in(&app, LOGIN, "demo-operator-2025").await).await;
    let unknown = error_code(sign_in(&app, "nobody", PASSWORD).await).await;
    assert_eq!(
        (wrong.0, wrong.1.code.as_str()),
        (401, "operator_credentials")
    );
    assert_eq!(wrong, unknown);

    let signed_out = app
        .client
        .delete(app.url("/api/v1/operator/sessions/current"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 204);
    assert!(signed_out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (status, error) =
        error_code(get(&app, "/api/v1/operator/sessions/current", cookie).await).await;
    assert_eq!((status, error.code.as_str()), (401, "operator_session"));
}
