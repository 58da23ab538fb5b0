//! Digital ID through the API: the sign-in with the registered phone, the PIN, the
//! document photos (only real JPEGs, within the limit), the document compared with the
//! registry (a match, a typo for the operator, an expired document, a bad check digit),
//! the account, and the consent with its PIN count and lock.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};
use qoltanba_domain::api::{Account, ConsentGranted, DocumentStatus, DocumentView, StoredData};
use qoltanba_domain::Side;
use serde_json::{json, Value};

use crate::phone_checks::{last_code, request, start, verify, EMPLOYEE, EMPLOYEE_PHONE, ORG};
use crate::{error_code, spawn_app, TestApp};

/// An application check and a Digital ID sign-in for a demo person: the Digital ID
/// session (what the face check and everything after it work with).
pub async fn signed_in(app: &TestApp, template: &str, iin: &str, phone: &str) -> String {
    let started: Value = start(app, &request(template, ORG, iin))
        .await
        .json()
        .await
        .unwrap();
    let application = started["id"].as_str().unwrap().to_owned();
    assert_eq!(
        verify(app, &application, &last_code(app, phone).await)
            .await
            .status(),
        200
    );
    let response = sign_in(app, &application, phone).await;
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        verify(app, &id, &last_code(app, phone).await)
            .await
            .status(),
        200
    );
    id
}

async fn sign_in(app: &TestApp, application: &str, phone: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/digital-id/sign-ins"))
        .json(&json!({ "application": application, "phone": phone }))
        .send()
        .await
        .unwrap()
}

/// The face check of this session passed with `outcome` (the check itself is tested
/// in `face_checks`; here it is only the precondition).
async fn face_checked(app: &TestApp, session: &str, outcome: &str) {
    let now = time::OffsetDateTime::now_utc();
    sqlx::query(
        "INSERT INTO liveness_challenges (id, session, iin, actions, issued_at, expires_at, status, outcome, finished_at)
         SELECT ?, id, iin, '[]', ?, ?, 'passed', ?, ? FROM phone_checks WHERE id = ?",
    )
    .bind(format!("challenge-{session}"))
    .bind(now)
    .bind(now)
    .bind(outcome)
    .bind(now)
    .bind(session)
    .execute(&app.state.db)
    .await
    .unwrap();
}

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    session: &str,
) -> reqwest::RequestBuilder {
    app.client
        .request(method, app.url(path))
        .bearer_auth(session)
}

async fn set_pin(app: &TestApp, session: &str, pin: &str, again: &str) -> reqwest::Response {
    call(app, reqwest::Method::PUT, "/api/v1/digital-id/pin", session)
        .await
        .json(&json!({ "pin": pin, "again": again }))
        .send()
        .await
        .unwrap()
}

async fn photo(
    app: &TestApp,
    session: &str,
    side: Side,
    bytes: Vec<u8>,
    kind: &str,
) -> reqwest::Response {
    call(
        app,
        reqwest::Method::PUT,
        &format!("/api/v1/digital-id/document-photos/{}", side.code()),
        session,
    )
    .await
    .header("content-type", kind)
    .body(bytes)
    .send()
    .await
    .unwrap()
}

fn card(format: ImageFormat) -> Vec<u8> {
    let picture = RgbImage::from_fn(856, 540, |x, y| {
        Rgb([(x % 200) as u8 + 40, (y % 200) as u8, 180])
    });
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// The demo employee's ID card zone (TD1), with its real check digits.
fn td1(number: &str) -> String {
    qoltanba_fixtures::td1(
        number,
        EMPLOYEE,
        "920724",
        'F',
        "310411",
        "AKHMETOVA<<AIGERIM",
    )
}

fn submission(number: &str, mrz: Option<String>) -> Value {
    json!({
        "kind": "id_card",
        "fields": {
            "number": number, "surname": "Ахметова", "name": "Айгерим", "patronymic": "Болатовна",
            "birth_date": "1992-07-24", "nationality": "КАЗАХ", "issuer": "МВД РК",
            "issued_on": "2021-04-12", "expires_on": "2031-04-11"
        },
        "sources": { "number": "mrz", "birth_date": "mrz", "expires_on": "mrz", "surname": "typed" },
        "mrz": mrz,
        "confirmed": true,
    })
}

async fn submit(app: &TestApp, session: &str, body: &Value) -> reqwest::Response {
    call(
        app,
        reqwest::Method::POST,
        "/api/v1/digital-id/documents",
        session,
    )
    .await
    .json(body)
    .send()
    .await
    .unwrap()
}

/// Submits the form with this document number (no zone) and expects it taken.
async fn submitted(app: &TestApp, session: &str, number: &str) -> DocumentView {
    let response = submit(app, session, &submission(number, None)).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn account(app: &TestApp, session: &str) -> Account {
    call(
        app,
        reqwest::Method::GET,
        "/api/v1/digital-id/account",
        session,
    )
    .await
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap()
}

async fn consent(app: &TestApp, session: &str, pin: &str) -> reqwest::Response {
    call(
        app,
        reqwest::Method::POST,
        "/api/v1/digital-id/consents",
        session,
    )
    .await
    .json(&json!({ "pin": pin }))
    .send()
    .await
    .unwrap()
}

/// Both sides of the card, taken.
async fn send_photos(app: &TestApp, session: &str) {
    for side in Side::ALL {
        let response = photo(app, session, side, card(ImageFormat::Jpeg), "image/jpeg").await;
        assert_eq!(response.status(), 204);
    }
}

/// A demo person through Digital ID, from the application's phone check to the
/// consent given with the PIN.
pub async fn consented(app: &TestApp, template: &str, iin: &str) -> ConsentGranted {
    let person = qoltanba_server::demo::PEOPLE
        .iter()
        .find(|p| p.iin == iin)
        .expect("a demo person");
    let session = signed_in(
        app,
        template,
        iin,
        person.phone.expect("a registered phone"),
    )
    .await;
    face_checked(app, &session, "verified").await;
    assert_eq!(
        set_pin(app, &session, "520417", "520417").await.status(),
        204
    );
    send_photos(app, &session).await;
    let birth_date = person.birth_date;
    let body = json!({
        "kind": "id_card",
        "fields": {
            "number": person.id_card, "surname": person.surname, "name": person.name,
            "patronymic": person.patronymic,
            "birth_date": format!("{}-{:02}-{:02}", birth_date.year(), u8::from(birth_date.month()), birth_date.day()),
            "nationality": "КАЗАХ", "issuer": "МВД РК",
            "issued_on": "2021-04-12", "expires_on": "2031-04-11"
        },
        "sources": {},
        "mrz": null,
        "confirmed": true,
    });
    let response = submit(app, &session, &body).await;
    assert_eq!(response.status(), 201);
    let view: DocumentView = response.json().await.unwrap();
    assert_eq!(view.status, DocumentStatus::Verified);
    let response = consent(app, &session, "520417").await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// Signed in, face checked with `outcome`, PIN set and both photos sent.
async fn ready_for_document(app: &TestApp, outcome: &str) -> String {
    let session = signed_in(app, "employee", EMPLOYEE, EMPLOYEE_PHONE).await;
    face_checked(app, &session, outcome).await;
    assert_eq!(
        set_pin(app, &session, "520417", "520417").await.status(),
        204
    );
    send_photos(app, &session).await;
    session
}

#[tokio::test]
async fn the_sign_in_needs_the_registered_phone_and_a_verified_application() {
    let app = spawn_app().await;
    let started: Value = start(&app, &request("employee", ORG, EMPLOYEE))
        .await
        .json()
        .await
        .unwrap();
    let application = started["id"].as_str().unwrap();
    // Not verified yet: no session.
    let (status, error) = error_code(sign_in(&app, application, EMPLOYEE_PHONE).await).await;
    assert_eq!((status, error.code.as_str()), (401, "no_session"));
    assert_eq!(
        verify(&app, application, &last_code(&app, EMPLOYEE_PHONE).await)
            .await
            .status(),
        200
    );
    let (status, error) = error_code(sign_in(&app, application, "+77010000000").await).await;
    assert_eq!(
        (status, error.fields["phone"].as_str()),
        (422, "phone.not_registered_for_iin")
    );
    let (status, error) = error_code(sign_in(&app, application, "12").await).await;
    assert_eq!((status, error.code.as_str()), (422, "validation"));
    // The right phone gets a code at once, although the first one was sent just now.
    assert_eq!(
        sign_in(&app, application, EMPLOYEE_PHONE).await.status(),
        201
    );
    // The application check itself is no Digital ID session.
    let (status, _) = error_code(set_pin(&app, application, "520417", "520417").await).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn the_pin_follows_the_face_check_and_its_rules() {
    let app = spawn_app().await;
    let session = signed_in(&app, "employee", EMPLOYEE, EMPLOYEE_PHONE).await;
    let (status, error) = error_code(set_pin(&app, &session, "520417", "520417").await).await;
    assert_eq!((status, error.code.as_str()), (409, "identity_missing"));
    face_checked(&app, &session, "verified").await;
    for (pin, again, field, code) in [
        ("123456", "123456", "pin", "pin.trivial"),
        ("240792", "240792", "pin", "pin.birth_date"),
        ("52041", "52041", "pin", "pin.length"),
        ("520417", "520418", "again", "pin.mismatch"),
    ] {
        let (status, error) = error_code(set_pin(&app, &session, pin, again).await).await;
        assert_eq!((status, error.fields[field].as_str()), (422, code), "{pin}");
    }
    assert_eq!(
        set_pin(&app, &session, "520417", "520417").await.status(),
        204
    );
    let hash: String = sqlx::query_scalar("SELECT pin_hash FROM digital_ids WHERE iin = ?")
        .bind(EMPLOYEE)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(account(&app, &session).await.pin_set);
}

#[tokio::test]
async fn only_real_jpegs_within_the_limit_are_stored_and_sealed() {
    let app = spawn_app().await;
    let session = signed_in(&app, "employee", EMPLOYEE, EMPLOYEE_PHONE).await;
    face_checked(&app, &session, "verified").await;
    let (status, error) = error_code(
        photo(
            &app,
            &session,
            Side::Front,
            card(ImageFormat::Jpeg),
            "image/jpeg",
        )
        .await,
    )
    .await;
    assert_eq!((status, error.code.as_str()), (409, "pin_missing"));
    assert_eq!(
        set_pin(&app, &session, "520417", "520417").await.status(),
        204
    );

    // A PNG renamed .jpg (the browser sends the type the name suggests).
    let png = card(ImageFormat::Png);
    let (status, error) =
        error_code(photo(&app, &session, Side::Front, png, "image/jpeg").await).await;
    assert_eq!((status, error.code.as_str()), (415, "not_jpeg"));
    let (status, error) =
        error_code(photo(&app, &session, Side::Front, Vec::new(), "image/jpeg").await).await;
    assert_eq!((status, error.code.as_str()), (422, "empty_file"));
    let huge = vec![0xFF; 50 * 1024 * 1024];
    let (status, error) =
        error_code(photo(&app, &session, Side::Front, huge, "image/jpeg").await).await;
    assert_eq!((status, error.code.as_str()), (413, "too_large"));
    let (status, _) = error_code(
        photo(
            &app,
            &session,
            Side::Front,
            card(ImageFormat::Jpeg),
            "text/plain",
        )
        .await,
    )
    .await;
    assert_eq!(status, 415);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM document_photos")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing refused is stored");

    assert_eq!(
        photo(
            &app,
            &session,
            Side::Back,
            card(ImageFormat::Jpeg),
            "image/jpeg"
        )
        .await
        .status(),
        204
    );
    assert_eq!(account(&app, &session).await.photos, vec![Side::Back]);
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT sealed FROM document_photos")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(
        !sealed.starts_with(&[0xFF, 0xD8]),
        "the photo is not kept in the clear"
    );
    let context = qoltanba_server::digital_id::photo_context(&session, Side::Back);
    let opened = app.state.vault.open(&sealed, &context).unwrap();
    assert!(opened.starts_with(&[0xFF, 0xD8]));
}

#[tokio::test]
async fn a_matching_document_is_verified_at_once_and_shared_with_the_pin() {
    let app = spawn_app().await;
    let session = ready_for_document(&app, "verified").await;
    let response = submit(
        &app,
        &session,
        &submission("047881203", Some(td1("047881203"))),
    )
    .await;
    assert_eq!(response.status(), 201);
    let view: DocumentView = response.json().await.unwrap();
    assert_eq!(view.status, DocumentStatus::Verified);
    // The same submission again: nothing new.
    let (status, error) =
        error_code(submit(&app, &session, &submission("047881203", None)).await).await;
    assert_eq!((status, error.code.as_str()), (409, "document_submitted"));

    let account = account(&app, &session).await;
    assert_eq!(account.document.unwrap().status, DocumentStatus::Verified);
    assert!(account
        .stored
        .iter()
        .any(|s| s.data == StoredData::Selfie || s.data == StoredData::DocumentFront));

    let (status, error) = error_code(consent(&app, &session, "000001").await).await;
    assert_eq!(
        (status, error.code.as_str(), error.attempts_left),
        (400, "pin_wrong", Some(4))
    );
    let response = consent(&app, &session, "520417").await;
    assert_eq!(response.status(), 201);
    let granted: ConsentGranted = response.json().await.unwrap();
    assert_eq!(
        (
            granted.identity.iin.as_str(),
            granted.identity.surname.as_str()
        ),
        (EMPLOYEE, "Ахметова")
    );
}

#[tokio::test]
async fn a_typo_or_an_unsure_face_goes_to_moderation() {
    let app = spawn_app().await;
    let session = ready_for_document(&app, "verified").await;
    let view = submitted(&app, &session, "047881208").await;
    assert_eq!(view.status, DocumentStatus::Moderation);
    let mismatches: String = sqlx::query_scalar("SELECT mismatches FROM documents")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(mismatches, r#"["document_number"]"#);
    // Not verified: nothing to share yet.
    let (status, error) = error_code(consent(&app, &session, "520417").await).await;
    assert_eq!(
        (status, error.code.as_str()),
        (409, "document_not_verified")
    );

    let app = spawn_app().await;
    let session = ready_for_document(&app, "moderation").await;
    let view = submitted(&app, &session, "047881203").await;
    assert_eq!(view.status, DocumentStatus::Moderation);
}

#[tokio::test]
async fn bad_documents_are_refused_on_their_fields_and_store_nothing() {
    let app = spawn_app().await;
    let session = ready_for_document(&app, "verified").await;
    let mut expired = submission("047881203", None);
    expired["fields"]["issued_on"] = json!("2014-04-12");
    expired["fields"]["expires_on"] = json!("2024-04-11");
    let (status, error) = error_code(submit(&app, &session, &expired).await).await;
    assert_eq!(
        (status, error.fields["expires_on"].as_str()),
        (422, "document.expired")
    );

    let mut broken = td1("047881203");
    broken.replace_range(14..15, "0");
    let (status, error) =
        error_code(submit(&app, &session, &submission("047881203", Some(broken))).await).await;
    assert_eq!(
        (status, error.fields["mrz"].as_str()),
        (422, "mrz.check_digit")
    );

    let mut unconfirmed = submission("047881203", None);
    unconfirmed["confirmed"] = json!(false);
    let (status, error) = error_code(submit(&app, &session, &unconfirmed).await).await;
    assert_eq!(
        (status, error.fields["confirmed"].as_str()),
        (422, "document.not_confirmed")
    );
    let documents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(documents, 0);
}

#[tokio::test]
async fn wrong_pins_lock_the_consent() {
    let app = spawn_app().await;
    let session = ready_for_document(&app, "verified").await;
    submitted(&app, &session, "047881203").await;
    for left in (1..5).rev() {
        let (_, error) = error_code(consent(&app, &session, "000001").await).await;
        assert_eq!(error.attempts_left, Some(left));
    }
    let (status, error) = error_code(consent(&app, &session, "000001").await).await;
    assert_eq!((status, error.code.as_str()), (423, "locked"));
    // Locked: even the right PIN waits.
    let (status, _) = error_code(consent(&app, &session, "520417").await).await;
    assert_eq!(status, 423);
}

#[tokio::test]
async fn photos_go_a_set_time_after_the_decision() {
    let app = spawn_app().await;
    let session = ready_for_document(&app, "verified").await;
    submitted(&app, &session, "047881203").await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM document_photos")
            .fetch_one(&app.state.db)
            .await
            .unwrap()
    };
    let now = time::OffsetDateTime::now_utc();
    let keep = time::Duration::hours(24);
    qoltanba_server::retention::purge(&app.state.db, now + time::Duration::hours(23), keep)
        .await
        .unwrap();
    assert_eq!(count().await, 2);
    qoltanba_server::retention::purge(&app.state.db, now + time::Duration::hours(25), keep)
        .await
        .unwrap();
    assert_eq!(count().await, 0);
}

#[tokio::test]
async fn a_rejected_document_can_be_replaced_in_the_same_session() {
    let app = spawn_app().await;
    let session = ready_for_document(&app, "verified").await;
    submitted(&app, &session, "047881208").await;
    // Photos of a submitted document belong to it: a new one needs new photos.
    let (status, _) =
        error_code(submit(&app, &session, &submission("047881203", None)).await).await;
    assert_eq!(status, 409);
    sqlx::query("UPDATE documents SET status = 'rejected', decided_at = ?, decided_by = 'operator', reason = 'unreadable'")
        .bind(time::OffsetDateTime::now_utc())
        .execute(&app.state.db)
        .await
        .unwrap();
    let (status, error) =
        error_code(submit(&app, &session, &submission("047881203", None)).await).await;
    assert_eq!((status, error.code.as_str()), (409, "photos_missing"));
    send_photos(&app, &session).await;
    let view = submitted(&app, &session, "047881203").await;
    assert_eq!(view.status, DocumentStatus::Verified);
}
