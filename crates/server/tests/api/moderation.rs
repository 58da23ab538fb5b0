//! Moderation through the API: the operator's sign-in, the queue, a case with its photos
//! and the registry's record, and the decision (once), with the applicant's SMS. Cases
//! are written straight into the database as the Digital ID side leaves them.

use base64::Engine;
use qoltanba_domain::api::{CaseDetail, CaseSummary, IdentityOutcome, Language, Mismatch};
use qoltanba_domain::{DocumentField, DocumentKind, FieldSource, Side};
use qoltanba_server::digital_id::photo_context;
use qoltanba_server::face_check::selfie_context;
use qoltanba_server::sms_texts;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::{error_code, spawn_app, TestApp};

/// The demo person whose face is not the registry photo's: the operator route.
const IIN: &str = "950630307072";
const PHONE: &str = "+77071234500";
const LOGIN: &str = "operator";
const PASSWORD: &str = "demo-operator-2026";
/// JPEG's magic and a marker: the server hands the bytes back as they were sealed.
const SELFIE: &[u8] = b"\xFF\xD8\xFF\xE0 selfie";
const FRONT: &[u8] = b"\xFF\xD8\xFF\xE0 front side";
const BACK: &[u8] = b"\xFF\xD8\xFF\xE0 back side";

/// A document in moderation as the applicant's side leaves it: the Digital ID session,
/// the sealed selfie (base64 text with a `data:` prefix, as the page sends it) and
/// document photos, and the document with a typo in the surname and an unsure face.
async fn insert_case(app: &TestApp, id: &str, language: &str, submitted_at: OffsetDateTime) {
    let db = &app.state.db;
    let session = format!("session-{id}");
    sqlx::query(
        "INSERT INTO phone_checks (id, purpose, iin, profile, phone, code_mac, expires_at, verified_at, created_at, client_ip)
         VALUES (?, 'digital_id', ?, '{\"kind\":\"individual\"}', ?, x'00', ?, ?, ?, '127.0.0.1')",
    )
    .bind(&session)
    .bind(IIN)
    .bind(PHONE)
    .bind(submitted_at)
    .bind(submitted_at)
    .bind(submitted_at)
    .execute(db)
    .await
    .unwrap();
    let fields = json!({
        "number": "049002145", "surname": "Омарова", "name": "Тимур", "patronymic": "Русланович",
        "birth_date": "1995-06-30", "expires_on": "2031-04-11"
    });
    let sources = json!({
        "number": "mrz", "birth_date": "mrz", "expires_on": "mrz",
        "surname": "typed", "name": "typed", "patronymic": "typed"
    });
    sqlx::query(
        "INSERT INTO documents (id, iin, session, kind, number, expires_on, fields, sources, mrz,
             identity, mismatches, status, language, submitted_at)
         VALUES (?, ?, ?, 'id_card', '049002145', '2031-04-11', ?, ?, NULL, 'moderation',
             '[\"surname\",\"face\"]', 'moderation', ?, ?)",
    )
    .bind(id)
    .bind(IIN)
    .bind(&session)
    .bind(fields.to_string())
    .bind(sources.to_string())
    .bind(language)
    .bind(submitted_at)
    .execute(db)
    .await
    .unwrap();
    let selfie = format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(SELFIE)
    );
    sqlx::query(
        "INSERT INTO selfies (session, iin, image, face, created_at) VALUES (?, ?, ?, '{}', ?)",
    )
    .bind(&session)
    .bind(IIN)
    .bind(
        app.state
            .vault
            .seal(selfie.as_bytes(), &selfie_context(&session)),
    )
    .bind(submitted_at)
    .execute(db)
    .await
    .unwrap();
    for (side, bytes) in [(Side::Front, FRONT), (Side::Back, BACK)] {
        sqlx::query(
            "INSERT INTO document_photos (session, side, iin, sealed, document, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&session)
        .bind(side.code())
        .bind(IIN)
        .bind(app.state.vault.seal(bytes, &photo_context(&session, side)))
        .bind(id)
        .bind(submitted_at)
        .execute(db)
        .await
        .unwrap();
    }
}

pub async fn sign_in(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/operator/sessions"))
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .unwrap()
}

/// The demo operator's `Cookie` header.
pub async fn operator_cookie(app: &TestApp) -> String {
    let response = sign_in(app, LOGIN, PASSWORD).await;
    assert_eq!(response.status(), 201);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn get(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn decide(app: &TestApp, id: &str, cookie: &str, decision: &Value) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/operator/cases/{id}/decision")))
        .header("cookie", cookie)
        .json(decision)
        .send()
        .await
        .unwrap()
}

async fn status_of(app: &TestApp, id: &str) -> (String, Option<String>, Option<String>) {
    sqlx::query_as("SELECT status, decided_by, reason FROM documents WHERE id = ?")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn events(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT event FROM account_events WHERE iin = ? ORDER BY id")
        .bind(IIN)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

async fn sms_texts_to_applicant(app: &TestApp) -> Vec<String> {
    let messages: Vec<Value> = app
        .get(&format!("/api/dev/sms?to={}", PHONE.replace('+', "%2B")))
        .await
        .json()
        .await
        .unwrap();
    messages
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
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

#[tokio::test]
async fn nothing_of_moderation_answers_without_a_session() {
    let app = spawn_app().await;
    insert_case(&app, "case-1", "ru", OffsetDateTime::now_utc()).await;
    for path in [
        "/api/v1/operator/sessions/current",
        "/api/v1/operator/cases",
        "/api/v1/operator/cases/case-1",
        "/api/v1/operator/cases/case-1/photos/selfie",
    ] {
        for cookie in ["", "qoltanba_operator=00ff", "other=1"] {
            let (status, error) = error_code(get(&app, path, cookie).await).await;
            assert_eq!(
                (status, error.code.as_str()),
                (401, "operator_session"),
                "{path}"
            );
        }
    }
    let (status, error) =
        error_code(decide(&app, "case-1", "", &json!({ "decision": "approve" })).await).await;
    assert_eq!((status, error.code.as_str()), (401, "operator_session"));
    assert_eq!(status_of(&app, "case-1").await.0, "moderation");
}

#[tokio::test]
async fn the_queue_lists_cases_oldest_first_and_shows_each_whole() {
    let app = spawn_app().await;
    let now = OffsetDateTime::now_utc();
    insert_case(&app, "newer", "ru", now).await;
    insert_case(&app, "older", "ru", now - Duration::hours(2)).await;
    let cookie = operator_cookie(&app).await;

    let queue: Vec<CaseSummary> = get(&app, "/api/v1/operator/cases", &cookie)
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<_> = queue.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["older", "newer"]);
    assert_eq!(queue[0].iin, IIN);
    assert_eq!(queue[0].full_name, "Омарова Тимур Русланович");
    assert_eq!(queue[0].kind, DocumentKind::IdCard);
    assert_eq!(queue[0].mismatches, [Mismatch::Surname, Mismatch::Face]);

    let case: CaseDetail = get(&app, "/api/v1/operator/cases/older", &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(case.summary, queue[0]);
    assert_eq!(case.fields[&DocumentField::Surname], "Омарова");
    assert_eq!(case.sources[&DocumentField::Number], FieldSource::Mrz);
    assert_eq!(case.identity, IdentityOutcome::Moderation);
    assert_eq!(case.photos, ["selfie", "front", "back"]);
    let registry = case.registry.unwrap();
    assert_eq!(
        (registry.surname.as_str(), registry.name.as_str()),
        ("Омаров", "Тимур")
    );
    assert_eq!(
        registry.documents,
        ["id_card 049002145, valid until 2031-04-11"]
    );

    for (photo, bytes) in [("selfie", SELFIE), ("front", FRONT), ("back", BACK)] {
        let response = get(
            &app,
            &format!("/api/v1/operator/cases/older/photos/{photo}"),
            &cookie,
        )
        .await;
        assert_eq!(response.status(), 200, "{photo}");
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert_eq!(response.bytes().await.unwrap(), bytes);
    }
    let (status, _) = error_code(
        get(
            &app,
            "/api/v1/operator/cases/older/photos/registry",
            &cookie,
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, error) =
        error_code(get(&app, "/api/v1/operator/cases/nonexistent", &cookie).await).await;
    assert_eq!((status, error.code.as_str()), (404, "case_not_found"));
}

#[tokio::test]
async fn approval_verifies_the_document_once_and_tells_the_applicant_by_sms() {
    let app = spawn_app().await;
    insert_case(&app, "case-1", "kk", OffsetDateTime::now_utc()).await;
    let cookie = operator_cookie(&app).await;

    let response = decide(&app, "case-1", &cookie, &json!({ "decision": "approve" })).await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        status_of(&app, "case-1").await,
        ("verified".to_owned(), Some("operator".to_owned()), None)
    );
    assert_eq!(events(&app).await, ["document_approved"]);
    assert_eq!(
        sms_texts_to_applicant(&app).await,
        [sms_texts::document_approved(Language::Kk)]
    );

    // A double click, or a second operator, finds it decided.
    let (status, error) = error_code(
        decide(
            &app,
            "case-1",
            &cookie,
            &json!({ "decision": "reject", "reason": "Фото размыто" }),
        )
        .await,
    )
    .await;
    assert_eq!((status, error.code.as_str()), (409, "case_decided"));
    assert_eq!(status_of(&app, "case-1").await.0, "verified");
    assert_eq!(events(&app).await.len(), 1);
    assert_eq!(sms_texts_to_applicant(&app).await.len(), 1);
    // Out of the queue, and its photos with it.
    let queue: Vec<CaseSummary> = get(&app, "/api/v1/operator/cases", &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert!(queue.is_empty());
    for path in [
        "/api/v1/operator/cases/case-1",
        "/api/v1/operator/cases/case-1/photos/selfie",
    ] {
        let (status, error) = error_code(get(&app, path, &cookie).await).await;
        assert_eq!((status, error.code.as_str()), (404, "case_not_found"));
    }
    let (status, error) = error_code(
        decide(
            &app,
            "nonexistent",
            &cookie,
            &json!({ "decision": "approve" }),
        )
        .await,
    )
    .await;
    assert_eq!((status, error.code.as_str()), (404, "case_not_found"));
}

#[tokio::test]
async fn a_rejection_needs_a_reason_that_stays_out_of_the_sms() {
    let app = spawn_app().await;
    insert_case(&app, "case-1", "ru", OffsetDateTime::now_utc()).await;
    let cookie = operator_cookie(&app).await;

    for (reason, code) in [
        ("", "reason.too_short"),
        ("  аб \n", "reason.too_short"),
        (&*"ж".repeat(501), "reason.too_long"),
    ] {
        let response = decide(
            &app,
            "case-1",
            &cookie,
            &json!({ "decision": "reject", "reason": reason }),
        )
        .await;
        let (status, error) = error_code(response).await;
        assert_eq!((status, error.code.as_str()), (422, "validation"));
        assert_eq!(error.fields["reason"], code);
    }
    let (status, error) =
        error_code(decide(&app, "case-1", &cookie, &json!({ "decision": "reject" })).await).await;
    assert_eq!((status, error.code.as_str()), (400, "bad_json"));
    // Only JSON is taken: a cross-site form cannot post a decision.
    let form = app
        .client
        .post(app.url("/api/v1/operator/cases/case-1/decision"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(form).await.0, 400);
    assert_eq!(status_of(&app, "case-1").await.0, "moderation");
    assert!(sms_texts_to_applicant(&app).await.is_empty());

    let reason = "  Фамилия на фото документа — Омаров, в форме — Омарова  ";
    let response = decide(
        &app,
        "case-1",
        &cookie,
        &json!({ "decision": "reject", "reason": reason }),
    )
    .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        status_of(&app, "case-1").await,
        (
            "rejected".to_owned(),
            Some("operator".to_owned()),
            Some(reason.trim().to_owned())
        )
    );
    assert_eq!(events(&app).await, ["document_rejected"]);
    let texts = sms_texts_to_applicant(&app).await;
    assert_eq!(texts, [sms_texts::document_rejected(Language::Ru)]);
    assert!(!texts[0].contains("Омаров") && !texts[0].contains(IIN));
}

#[tokio::test]
async fn photos_that_retention_deleted_are_not_shown() {
    let app = spawn_app().await;
    insert_case(&app, "case-1", "ru", OffsetDateTime::now_utc()).await;
    let cookie = operator_cookie(&app).await;
    sqlx::query("DELETE FROM document_photos WHERE side = 'back'")
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("DELETE FROM selfies")
        .execute(&app.state.db)
        .await
        .unwrap();

    let case: CaseDetail = get(&app, "/api/v1/operator/cases/case-1", &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(case.photos, ["front"]);
    for photo in ["selfie", "back"] {
        let path = format!("/api/v1/operator/cases/case-1/photos/{photo}");
        let (status, error) = error_code(get(&app, &path, &cookie).await).await;
        assert_eq!((status, error.code.as_str()), (404, "not_found"), "{photo}");
    }
    let front = get(&app, "/api/v1/operator/cases/case-1/photos/front", &cookie).await;
    assert_eq!(front.bytes().await.unwrap(), FRONT);
}
