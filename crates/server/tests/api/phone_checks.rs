//! The mobile-citizens check through the API: registry refusals, codes from the
//! outbox, wrong codes and the lock, expiry and resend, rate limits, bad input.

use qoltanba_domain::api::{PhoneCheckStarted, PhoneCheckVerified, SmsMessage};
use serde_json::{json, Value};

use crate::{error_code, spawn_app, TestApp};

pub const ORG: &str = "150340001236";
pub const HEAD: &str = "850115301238";
pub const HEAD_PHONE: &str = "+77011234567";
pub const EMPLOYEE: &str = "920724405673";
pub const EMPLOYEE_PHONE: &str = "+77017654321";
const NO_PHONE: &str = "900312307001";

pub fn request(template: &str, bin: &str, iin: &str) -> Value {
    json!({ "profile": { "kind": "legal_entity", "template": template }, "bin": bin, "iin": iin, "language": "ru" })
}

pub async fn start(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/phone-checks"))
        .json(body)
        .send()
        .await
        .unwrap()
}

pub async fn verify(app: &TestApp, id: &str, code: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/phone-checks/{id}/verification")))
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap()
}

/// The newest SMS to `phone`.
pub async fn last_sms(app: &TestApp, phone: &str) -> String {
    let messages: Vec<SmsMessage> = app
        .get(&format!("/api/dev/sms?to={}", phone.replace('+', "%2B")))
        .await
        .json()
        .await
        .unwrap();
    messages.into_iter().next().expect("an SMS was sent").text
}

/// The code in the newest SMS to `phone`.
pub async fn last_code(app: &TestApp, phone: &str) -> String {
    let text = &last_sms(app, phone).await;
    text.split(|c: char| !c.is_ascii_digit())
        .find(|word| word.len() == 5)
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        .to_owned()
}

fn wrong(code: &str) -> String {
    let last = (code.as_bytes()[4] - b'0' + 1) % 10;
    format!("{}{last}", &code[..4])
}

#[tokio::test]
async fn an_employee_gets_a_code_and_confirms_it() {
    let app = spawn_app().await;
    let response = start(&app, &request("employee", ORG, EMPLOYEE)).await;
    assert_eq!(response.status(), 201);
    let check: PhoneCheckStarted = response.json().await.unwrap();
    assert_eq!(check.phone_masked, "+7 701 *** ** 21");
    assert_eq!(check.organisation.as_deref(), Some("ТОО «Qoltanba Demo»"));
    assert_eq!((check.expires_in_seconds, check.attempts_left), (90, 3));

    let code = last_code(&app, EMPLOYEE_PHONE).await;
    let response = verify(&app, &check.id, &code).await;
    assert_eq!(response.status(), 200);
    let verified: PhoneCheckVerified = response.json().await.unwrap();
    assert_eq!(verified.iin, EMPLOYEE);
    // A replay of the same request changes nothing and still answers the same.
    assert_eq!(verify(&app, &check.id, &code).await.status(), 200);
}

#[tokio::test]
async fn the_first_head_template_is_for_the_first_head_only() {
    let app = spawn_app().await;
    assert_eq!(
        start(&app, &request("first_head", ORG, HEAD))
            .await
            .status(),
        201
    );
    let (status, error) =
        error_code(start(&app, &request("first_head", ORG, EMPLOYEE)).await).await;
    assert_eq!((status, error.code.as_str()), (403, "not_first_head"));
}

#[tokio::test]
async fn an_individual_needs_no_bin_and_the_sms_speaks_the_users_language() {
    let app = spawn_app().await;
    let body =
        json!({ "profile": { "kind": "individual" }, "iin": "010214607001", "language": "kk" });
    let response = start(&app, &body).await;
    assert_eq!(response.status(), 201);
    let messages: Vec<SmsMessage> = app
        .get("/api/dev/sms?to=%2B77475556677")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        messages[0].text.contains("бір реттік құпиясөз"),
        "{}",
        messages[0].text
    );
}

#[tokio::test]
async fn invalid_identifiers_are_named_field_by_field_and_nothing_is_sent() {
    let app = spawn_app().await;
    for (bin, iin, field, code) in [
        (ORG, "850115301239", "iin", "iin.check_digit"),
        (ORG, "851315301238", "iin", "iin.birth_date"),
        (ORG, "85011530123", "iin", "iin.length"),
        ("150340001237", HEAD, "bin", "bin.check_digit"),
    ] {
        let (status, error) = error_code(start(&app, &request("employee", bin, iin)).await).await;
        assert_eq!((status, error.code.as_str()), (422, "validation"));
        assert_eq!(error.fields[field], code);
    }
    let body = json!({ "profile": { "kind": "legal_entity", "template": "hr" }, "iin": HEAD });
    let (_, error) = error_code(start(&app, &body).await).await;
    assert_eq!(error.fields["bin"], "bin.required");
    let messages: Vec<SmsMessage> = app.get("/api/dev/sms").await.json().await.unwrap();
    assert!(messages.is_empty());
}

#[tokio::test]
async fn registry_refusals_are_specific() {
    let app = spawn_app().await;
    let cases = [
        (
            request("employee", "200140000014", EMPLOYEE),
            404,
            "bin_not_found",
        ),
        (
            request("employee", ORG, "770515300019"),
            404,
            "iin_not_found",
        ),
        (
            request("employee", ORG, NO_PHONE),
            409,
            "phone_not_registered",
        ),
    ];
    for (body, status, code) in cases {
        let (got_status, error) = error_code(start(&app, &body).await).await;
        assert_eq!((got_status, error.code.as_str()), (status, code));
    }
}

#[tokio::test]
async fn three_wrong_codes_lock_the_iin() {
    let app = spawn_app().await;
    let check: PhoneCheckStarted = start(&app, &request("employee", ORG, EMPLOYEE))
        .await
        .json()
        .await
        .unwrap();
    let code = last_code(&app, EMPLOYEE_PHONE).await;
    for attempts_left in [2, 1] {
        let (status, error) = error_code(verify(&app, &check.id, &wrong(&code)).await).await;
        assert_eq!(
            (status, error.code.as_str(), error.attempts_left),
            (400, "otp_wrong", Some(attempts_left))
        );
    }
    let response = verify(&app, &check.id, &wrong(&code)).await;
    assert!(response.headers().contains_key("retry-after"));
    let (status, error) = error_code(response).await;
    assert_eq!((status, error.code.as_str()), (423, "locked"));
    assert!((14 * 60..=15 * 60).contains(&error.retry_after_seconds.unwrap()));
    // Locked: even the right code is refused, and no new code is sent.
    let (status, _) = error_code(verify(&app, &check.id, &code).await).await;
    assert_eq!(status, 423);
    let (status, _) = error_code(start(&app, &request("employee", ORG, EMPLOYEE)).await).await;
    assert_eq!(status, 423);
}

#[tokio::test]
async fn an_expired_code_is_refused_and_a_new_one_can_be_sent() {
    let app = spawn_app().await;
    let check: PhoneCheckStarted = start(&app, &request("employee", ORG, EMPLOYEE))
        .await
        .json()
        .await
        .unwrap();
    let old = last_code(&app, EMPLOYEE_PHONE).await;
    // Ninety-one seconds later (bound from Rust: the same timestamp format as the app's).
    let now = time::OffsetDateTime::now_utc();
    sqlx::query("UPDATE phone_checks SET created_at = ?, expires_at = ?")
        .bind(now - time::Duration::seconds(91))
        .bind(now - time::Duration::seconds(1))
        .execute(&app.state.db)
        .await
        .unwrap();
    let (status, error) = error_code(verify(&app, &check.id, &old).await).await;
    assert_eq!((status, error.code.as_str()), (410, "otp_expired"));

    let again: PhoneCheckStarted = start(&app, &request("employee", ORG, EMPLOYEE))
        .await
        .json()
        .await
        .unwrap();
    let new = last_code(&app, EMPLOYEE_PHONE).await;
    assert_eq!(verify(&app, &again.id, &new).await.status(), 200);
}

#[tokio::test]
async fn codes_are_rate_limited_per_iin_and_per_address() {
    let app = spawn_app().await;
    assert_eq!(
        start(&app, &request("employee", ORG, EMPLOYEE))
            .await
            .status(),
        201
    );
    let (status, error) = error_code(start(&app, &request("employee", ORG, EMPLOYEE)).await).await;
    assert_eq!((status, error.code.as_str()), (429, "rate_limited"));
    assert!((1..=90).contains(&error.retry_after_seconds.unwrap()));

    // Twenty requests from this address in the last hour, for other people.
    let ten_minutes_ago = time::OffsetDateTime::now_utc() - time::Duration::minutes(10);
    for n in 0..20 {
        sqlx::query(
            "INSERT INTO phone_checks (id, iin, profile, phone, code_mac, expires_at, created_at, client_ip)
             VALUES (?, '000000000000', '{}', '+77000000000', x'00', ?, ?, '127.0.0.1')",
        )
        .bind(format!("seeded-{n}"))
        .bind(ten_minutes_ago)
        .bind(ten_minutes_ago)
        .execute(&app.state.db)
        .await
        .unwrap();
    }
    let (status, error) = error_code(start(&app, &request("first_head", ORG, HEAD)).await).await;
    assert_eq!((status, error.code.as_str()), (429, "rate_limited"));
}

#[tokio::test]
async fn garbage_and_oversized_bodies_get_the_error_shape() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/phone-checks"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, error) = error_code(response).await;
    assert_eq!((status, error.code.as_str()), (400, "bad_json"));

    let huge = format!("{{\"iin\":\"{}\"}}", "1".repeat(2 * 1024 * 1024));
    let response = app
        .client
        .post(app.url("/api/v1/phone-checks"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    let (status, error) = error_code(response).await;
    assert_eq!((status, error.code.as_str()), (413, "too_large"));

    let (status, error) = error_code(verify(&app, "no-such-check", "12345").await).await;
    assert_eq!((status, error.code.as_str()), (404, "not_found"));
    let (status, error) = error_code(verify(&app, "no-such-check", "12a45").await).await;
    assert_eq!(
        (status, error.fields["code"].as_str()),
        (422, "otp.not_digits")
    );
}
