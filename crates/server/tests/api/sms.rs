use qoltanba_domain::api::SmsMessage;
use qoltanba_domain::PhoneNumber;

use crate::{error_code, spawn_app, spawn_with};

#[tokio::test]
async fn the_outbox_lists_messages_newest_first_and_filters_by_phone() {
    let app = spawn_app().await;
    let first = PhoneNumber::parse("+77011234567").unwrap();
    let second = PhoneNumber::parse("+77017654321").unwrap();
    app.state.sms.send(&first, "one").await.unwrap();
    app.state.sms.send(&second, "two").await.unwrap();

    let all: Vec<SmsMessage> = app.get("/api/dev/sms").await.json().await.unwrap();
    let texts: Vec<_> = all.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["two", "one"]);

    let mine: Vec<SmsMessage> = app
        .get("/api/dev/sms?to=%2B77011234567")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].to.as_str(), mine[0].text.as_str()),
        ("+77011234567", "one")
    );

    let (status, error) = error_code(app.get("/api/dev/sms?to=12").await).await;
    assert_eq!((status, error.code.as_str()), (422, "validation"));
    assert_eq!(error.fields["to"], "phone.invalid");
}

#[tokio::test]
async fn the_outbox_is_closed_outside_demo_mode() {
    let app = spawn_with(tempfile::tempdir().unwrap(), false).await;
    let (status, error) = error_code(app.get("/api/dev/sms").await).await;
    assert_eq!((status, error.code.as_str()), (404, "not_found"));
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"].get("/dev/sms").is_none());
}
