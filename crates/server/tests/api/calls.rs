//! The operator's video call through the API and real WebSockets: the queue and its
//! places, who may open which socket, answering once, the signalling relayed both ways,
//! hanging up and dropping; and the phone an operator registers during the call.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use qoltanba_domain::api::Language;
use qoltanba_domain::call::{
    CallCreated, EndReason, PhoneRegistrationStarted, Signal, WaitingCall, SUBPROTOCOL,
};
use qoltanba_server::demo::OPERATOR;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::moderation::{operator_cookie, sign_in};
use crate::phone_checks::{self, last_code, ORG};
use crate::{error_code, spawn_app, TestApp};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A demo employee with no phone in the mobile-citizens database: the operator route.
const NO_PHONE: &str = "900312307001";
const NEW_PHONE: &str = "+77015550011";

async fn create(app: &TestApp, language: &str) -> CallCreated {
    let response = app
        .client
        .post(app.url("/api/v1/calls"))
        .json(&json!({ "language": language }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// Opens a signalling socket with these headers; a refusal gives its HTTP status and
/// error code.
async fn open(
    app: &TestApp,
    path: &str,
    headers: &[(&'static str, String)],
) -> Result<Socket, (u16, String)> {
    let url = format!("{}{path}", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(*name, value.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, response)) => {
            // Only the subprotocol is selected: the token never comes back.
            let selected = response.headers().get("sec-websocket-protocol");
            assert!(selected.is_none_or(|p| p == SUBPROTOCOL), "{selected:?}");
            Ok(socket)
        }
        Err(tungstenite::Error::Http(response)) => {
            let status = response.status().as_u16();
            let body: Value = serde_json::from_slice(response.body().as_deref().unwrap()).unwrap();
            Err((status, body["error"]["code"].as_str().unwrap().to_owned()))
        }
        Err(e) => panic!("the handshake failed: {e}"),
    }
}

/// The applicant's socket, the token offered as the browser offers it.
async fn applicant(app: &TestApp, id: &str, token: &str) -> Result<Socket, (u16, String)> {
    let protocols = format!("{SUBPROTOCOL}, {token}");
    open(
        app,
        &format!("/api/v1/calls/{id}/signal"),
        &[("sec-websocket-protocol", protocols)],
    )
    .await
}

async fn operator(app: &TestApp, id: &str, cookie: Option<&str>) -> Result<Socket, (u16, String)> {
    let mut headers = vec![("sec-websocket-protocol", SUBPROTOCOL.to_owned())];
    headers.extend(cookie.map(|c| ("cookie", c.to_owned())));
    open(
        app,
        &format!("/api/v1/operator/calls/{id}/signal"),
        &headers,
    )
    .await
}

/// The next signal on the socket.
async fn receive(socket: &mut Socket) -> Signal {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a signal within 5 s")
            .expect("the socket is open")
            .expect("a message");
        match message {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("expected a signal, got {other:?}"),
        }
    }
}

async fn send(socket: &mut Socket, signal: &Signal) {
    let text = serde_json::to_string(signal).unwrap();
    socket.send(Message::text(text)).await.unwrap();
}

/// The server closes the socket: a close frame, then the end of the stream.
async fn closed(socket: &mut Socket) {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("the close within 5 s")
        {
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            Some(Ok(other)) => panic!("expected the close, got {other:?}"),
        }
    }
}

async fn queue(app: &TestApp, cookie: &str) -> Vec<WaitingCall> {
    let response = app
        .client
        .get(app.url("/api/v1/operator/calls"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn leave(app: &TestApp, id: &str, token: &str) -> reqwest::Response {
    app.client
        .delete(app.url(&format!("/api/v1/calls/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn ids(queue: &[WaitingCall]) -> Vec<(&str, u32)> {
    queue.iter().map(|c| (c.id.as_str(), c.position)).collect()
}

#[tokio::test]
async fn applicants_wait_in_order_and_learn_their_places_as_the_queue_moves() {
    let app = spawn_app().await;
    let cookie = operator_cookie(&app).await;
    let a = create(&app, "ru").await;
    let b = create(&app, "kk").await;
    let c = create(&app, "en").await;
    assert_eq!((a.wait_seconds, a.recorded), (300, false));
    assert!(a.ice_servers.is_empty());
    let mut socket_a = applicant(&app, &a.id, &a.token).await.unwrap();
    let mut socket_b = applicant(&app, &b.id, &b.token).await.unwrap();
    let mut socket_c = applicant(&app, &c.id, &c.token).await.unwrap();
    assert_eq!(
        receive(&mut socket_a).await,
        Signal::Waiting { position: 1 }
    );
    assert_eq!(
        receive(&mut socket_b).await,
        Signal::Waiting { position: 2 }
    );
    assert_eq!(
        receive(&mut socket_c).await,
        Signal::Waiting { position: 3 }
    );
    let waiting = queue(&app, &cookie).await;
    assert_eq!(
        ids(&waiting),
        [(a.id.as_str(), 1), (b.id.as_str(), 2), (c.id.as_str(), 3)]
    );
    assert_eq!(waiting[1].language, Language::Kk);

    // The first leaves with DELETE: his page is told, the others move up.
    assert_eq!(leave(&app, &a.id, &a.token).await.status(), 204);
    assert_eq!(
        receive(&mut socket_a).await,
        Signal::Ended {
            reason: EndReason::Left
        }
    );
    closed(&mut socket_a).await;
    assert_eq!(
        receive(&mut socket_b).await,
        Signal::Waiting { position: 1 }
    );
    assert_eq!(
        receive(&mut socket_c).await,
        Signal::Waiting { position: 2 }
    );

    // The next one closes his page before an answer: out of the queue too.
    socket_b.close(None).await.unwrap();
    assert_eq!(
        receive(&mut socket_c).await,
        Signal::Waiting { position: 1 }
    );
    assert_eq!(ids(&queue(&app, &cookie).await), [(c.id.as_str(), 1)]);
    let (status, error) = error_code(leave(&app, &a.id, &a.token).await).await;
    assert_eq!((status, error.code.as_str()), (404, "not_found"));
}

#[tokio::test]
async fn a_second_applicant_cannot_join_the_first_ones_call() {
    let app = spawn_app().await;
    let a = create(&app, "ru").await;
    let b = create(&app, "ru").await;
    // B's token, no token, or a made-up one: refused before any upgrade.
    for protocols in [
        format!("{SUBPROTOCOL}, {}", b.token),
        SUBPROTOCOL.to_owned(),
        format!("{SUBPROTOCOL}, {}", "0".repeat(64)),
        // The token without the subprotocol is not this protocol.
        a.token.clone(),
    ] {
        let refused = open(
            &app,
            &format!("/api/v1/calls/{}/signal", a.id),
            &[("sec-websocket-protocol", protocols)],
        )
        .await;
        assert_eq!(refused.err(), Some((403, "call_forbidden".to_owned())));
    }
    let (status, error) = error_code(leave(&app, &a.id, &b.token).await).await;
    assert_eq!((status, error.code.as_str()), (403, "call_forbidden"));
    assert_eq!(
        applicant(&app, "no-such-call", &a.token).await.err(),
        Some((404, "not_found".to_owned()))
    );

    // A's own socket works, and a second one with his token is refused while it is open.
    let mut socket_a = applicant(&app, &a.id, &a.token).await.unwrap();
    assert_eq!(
        receive(&mut socket_a).await,
        Signal::Waiting { position: 1 }
    );
    assert_eq!(
        applicant(&app, &a.id, &a.token).await.err(),
        Some((409, "call_in_use".to_owned()))
    );
    // The refused one changed nothing: A is still in the queue.
    assert_eq!(leave(&app, &a.id, &a.token).await.status(), 204);
    assert_eq!(
        receive(&mut socket_a).await,
        Signal::Ended {
            reason: EndReason::Left
        }
    );
}

#[tokio::test]
async fn an_operator_needs_a_session_and_a_call_is_answered_once() {
    let app = spawn_app().await;
    let a = create(&app, "kk").await;
    let mut socket_a = applicant(&app, &a.id, &a.token).await.unwrap();
    receive(&mut socket_a).await;
    assert_eq!(
        operator(&app, &a.id, None).await.err(),
        Some((401, "operator_session".to_owned()))
    );
    let response = app.get("/api/v1/operator/calls").await;
    assert_eq!(response.status(), 401);

    let cookie = operator_cookie(&app).await;
    let mut desk = operator(&app, &a.id, Some(&cookie)).await.unwrap();
    assert_eq!(
        receive(&mut socket_a).await,
        Signal::Answered {
            operator: OPERATOR.name.to_owned()
        }
    );
    assert_eq!(
        receive(&mut desk).await,
        Signal::Joined {
            language: Language::Kk,
            ice_servers: Vec::new()
        }
    );
    assert!(queue(&app, &cookie).await.is_empty());
    // Another operator's session (the same account signed in twice) cannot take it over.
    let other = operator_cookie(&app).await;
    assert_eq!(
        operator(&app, &a.id, Some(&other)).await.err(),
        Some((409, "call_taken".to_owned()))
    );
    assert_eq!(
        operator(&app, "no-such-call", Some(&other)).await.err(),
        Some((404, "not_found".to_owned()))
    );
}

/// A call answered: the applicant's and the operator's sockets, the greetings read.
async fn answered(app: &TestApp) -> (Socket, Socket) {
    let call = create(app, "ru").await;
    let mut socket = applicant(app, &call.id, &call.token).await.unwrap();
    receive(&mut socket).await;
    let cookie = operator_cookie(app).await;
    let mut desk = operator(app, &call.id, Some(&cookie)).await.unwrap();
    assert!(matches!(
        receive(&mut socket).await,
        Signal::Answered { .. }
    ));
    assert!(matches!(receive(&mut desk).await, Signal::Joined { .. }));
    (socket, desk)
}

#[tokio::test]
async fn offers_answers_and_candidates_are_relayed_both_ways_and_a_hang_up_ends_both() {
    let app = spawn_app().await;
    let (mut socket, mut desk) = answered(&app).await;
    let offer = Signal::Offer {
        sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n".into(),
    };
    send(&mut desk, &offer).await;
    assert_eq!(receive(&mut socket).await, offer);
    let answer = Signal::Answer {
        sdp: "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n".into(),
    };
    send(&mut socket, &answer).await;
    assert_eq!(receive(&mut desk).await, answer);
    let candidate = |n: u16| Signal::Candidate {
        candidate: format!("candidate:{n} 1 udp 2122260223 127.0.0.1 5{n} typ host"),
        sdp_mid: Some("0".into()),
        sdp_m_line_index: Some(0),
    };
    send(&mut desk, &candidate(1)).await;
    assert_eq!(receive(&mut socket).await, candidate(1));

    // What a browser may not send is not relayed: garbage, binary, the server's own words.
    socket.send(Message::text("{not json")).await.unwrap();
    socket
        .send(Message::binary(b"\x00\x01".to_vec()))
        .await
        .unwrap();
    send(
        &mut socket,
        &Signal::Ended {
            reason: EndReason::HungUp,
        },
    )
    .await;
    send(
        &mut socket,
        &Signal::Answered {
            operator: "someone else".into(),
        },
    )
    .await;
    send(&mut socket, &candidate(2)).await;
    assert_eq!(receive(&mut desk).await, candidate(2));

    send(&mut desk, &Signal::HangUp).await;
    assert_eq!(
        receive(&mut socket).await,
        Signal::Ended {
            reason: EndReason::HungUp
        }
    );
    closed(&mut socket).await;
    closed(&mut desk).await;
}

#[tokio::test]
async fn a_dropped_socket_ends_the_call_for_the_other_side() {
    let app = spawn_app().await;
    let (mut socket, mut desk) = answered(&app).await;
    socket.close(None).await.unwrap();
    assert_eq!(
        receive(&mut desk).await,
        Signal::Ended {
            reason: EndReason::Dropped
        }
    );
    closed(&mut desk).await;

    // A message over the size limit breaks the operator's socket: the applicant is told.
    let (mut socket, mut desk) = answered(&app).await;
    let huge = Signal::Offer {
        sdp: "a".repeat(100 * 1024),
    };
    let _ = desk
        .send(Message::text(serde_json::to_string(&huge).unwrap()))
        .await;
    assert_eq!(
        receive(&mut socket).await,
        Signal::Ended {
            reason: EndReason::Dropped
        }
    );
    closed(&mut socket).await;
}

/// Another operator's `Cookie` header.
async fn second_operator(app: &TestApp) -> String {
    sqlx::query(
        "INSERT INTO operators (login, name, password_hash) VALUES ('second', 'Второй', ?)",
    )
    .bind(qoltanba_server::argon::hash("second-operator-2026"))
    .execute(&app.state.db)
    .await
    .unwrap();
    let response = sign_in(app, "second", "second-operator-2026").await;
    assert_eq!(response.status(), 201);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn register(app: &TestApp, cookie: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/operator/phone-registrations"))
        .header("cookie", cookie)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn confirm(app: &TestApp, cookie: &str, id: &str, code: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!(
            "/api/v1/operator/phone-registrations/{id}/confirmation"
        )))
        .header("cookie", cookie)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap()
}

fn wrong(code: &str) -> String {
    let last = (code.as_bytes()[4] - b'0' + 1) % 10;
    format!("{}{last}", &code[..4])
}

async fn sms_count(app: &TestApp) -> usize {
    app.get("/api/dev/sms")
        .await
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_register_form_refuses_an_invalid_iin_or_phone_or_someone_elses_call() {
    let app = spawn_app().await;
    let cookie = operator_cookie(&app).await;
    let sent = sms_count(&app).await;
    let call = create(&app, "ru").await;
    let (status, error) = error_code(
        register(
            &app,
            &cookie,
            &json!({ "iin": "900312307002", "phone": "+7 727 123 45 67", "call": call.id }),
        )
        .await,
    )
    .await;
    assert_eq!((status, error.code.as_str()), (422, "validation"));
    assert_eq!(error.fields["iin"], "iin.check_digit");
    assert_eq!(error.fields["phone"], "phone.invalid");
    // A call this operator has not answered is not his to name.
    assert_eq!(error.fields["call"], "call.not_answered");

    let (status, error) = error_code(
        register(
            &app,
            &cookie,
            &json!({ "iin": "770515300019", "phone": NEW_PHONE }),
        )
        .await,
    )
    .await;
    assert_eq!((status, error.code.as_str()), (404, "iin_not_found"));
    let (status, error) = error_code(
        register(
            &app,
            "qoltanba_operator=forged",
            &json!({ "iin": NO_PHONE, "phone": NEW_PHONE }),
        )
        .await,
    )
    .await;
    assert_eq!((status, error.code.as_str()), (401, "operator_session"));
    assert_eq!(sms_count(&app).await, sent);
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_the_right_one_registers_the_phone_for_the_phone_check() {
    let app = spawn_app().await;
    let check = phone_checks::request("employee", ORG, NO_PHONE);
    let (status, error) = error_code(phone_checks::start(&app, &check).await).await;
    assert_eq!((status, error.code.as_str()), (409, "phone_not_registered"));

    // On a call in Kazakh, the operator types the IIN and the phone.
    let call = create(&app, "kk").await;
    let mut socket = applicant(&app, &call.id, &call.token).await.unwrap();
    receive(&mut socket).await;
    let cookie = operator_cookie(&app).await;
    let _desk = operator(&app, &call.id, Some(&cookie)).await.unwrap();
    let response = register(
        &app,
        &cookie,
        &json!({ "iin": NO_PHONE, "phone": "8 (701) 555-00-11", "call": call.id }),
    )
    .await;
    assert_eq!(response.status(), 201);
    let started: PhoneRegistrationStarted = response.json().await.unwrap();
    assert_eq!(started.expires_in_seconds, 90);
    assert!(phone_checks::last_sms(&app, NEW_PHONE)
        .await
        .contains("тіркеу"));
    let code = last_code(&app, NEW_PHONE).await;

    let (status, error) =
        error_code(confirm(&app, &cookie, &started.id, &wrong(&code)).await).await;
    assert_eq!(
        (status, error.code.as_str(), error.attempts_left),
        (400, "otp_wrong", Some(2))
    );
    let (status, error) = error_code(confirm(&app, &cookie, &started.id, "12a45").await).await;
    assert_eq!(
        (status, error.fields["code"].as_str()),
        (422, "otp.not_digits")
    );
    // Only the operator who sent the code may confirm it.
    let (status, error) =
        error_code(confirm(&app, &second_operator(&app).await, &started.id, &code).await).await;
    assert_eq!((status, error.code.as_str()), (404, "not_found"));
    assert_eq!(
        confirm(&app, &cookie, &started.id, &code).await.status(),
        204
    );
    // A replay of the right code changes nothing.
    assert_eq!(
        confirm(&app, &cookie, &started.id, &code).await.status(),
        204
    );

    let (phone, by): (String, String) =
        sqlx::query_as("SELECT phone, registered_by FROM sim_mobile_phones WHERE iin = ?")
            .bind(NO_PHONE)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!((phone.as_str(), by.as_str()), (NEW_PHONE, OPERATOR.login));
    let (operator_login, call_id, registered): (String, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT operator, call, registered_at FROM phone_registrations WHERE id = ?",
        )
        .bind(&started.id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(operator_login, OPERATOR.login);
    assert_eq!(call_id.as_deref(), Some(call.id.as_str()));
    assert!(registered.is_some());

    // The applicant's phone check now sends a code to the new phone.
    let response = phone_checks::start(&app, &check).await;
    assert_eq!(response.status(), 201);
    let text = phone_checks::last_sms(&app, NEW_PHONE).await;
    assert!(text.contains("одноразовый пароль"), "{text}");
}

#[tokio::test]
async fn three_wrong_codes_use_the_registration_up() {
    let app = spawn_app().await;
    let cookie = operator_cookie(&app).await;
    let body = json!({ "iin": NO_PHONE, "phone": NEW_PHONE });
    let started: PhoneRegistrationStarted =
        register(&app, &cookie, &body).await.json().await.unwrap();
    let code = last_code(&app, NEW_PHONE).await;
    for attempts_left in [2, 1, 0] {
        let (status, error) =
            error_code(confirm(&app, &cookie, &started.id, &wrong(&code)).await).await;
        assert_eq!(
            (status, error.code.as_str(), error.attempts_left),
            (400, "otp_wrong", Some(attempts_left))
        );
    }
    let (status, error) = error_code(confirm(&app, &cookie, &started.id, &code).await).await;
    assert_eq!((status, error.code.as_str()), (410, "otp_expired"));
    // A new code for the IIN, once the last one's time is over.
    let (status, error) = error_code(register(&app, &cookie, &body).await).await;
    assert_eq!((status, error.code.as_str()), (429, "rate_limited"));
    assert!((1..=90).contains(&error.retry_after_seconds.unwrap()));
    let registered: Option<String> =
        sqlx::query_scalar("SELECT phone FROM sim_mobile_phones WHERE iin = ?")
            .bind(NO_PHONE)
            .fetch_optional(&app.state.db)
            .await
            .unwrap();
    assert_eq!(registered, None);
}
