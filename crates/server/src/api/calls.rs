//! `/v1/calls`: the applicant's side of the operator's video call — a place in the
//! queue, leaving it, and the signalling socket. The operator's side is in
//! `operator_calls.rs`; both sockets speak through `speak` here.

use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use qoltanba_domain::call::{CallCreated, CallRequest, Signal, SUBPROTOCOL};

use crate::calls::Line;
use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

/// SDP offers and answers are a few kilobytes; nothing larger is signalling.
const MAX_MESSAGE: usize = 64 * 1024;
/// The server pings each socket this often, so that a peer gone without a word (a
/// closed laptop, a lost network) is noticed…
const PING_EVERY: Duration = Duration::from_secs(20);
/// …when nothing at all, not even a pong, came from it for this long.
const SILENT_FOR: Duration = Duration::from_secs(60);
/// The WebSocket close code of a normal end (RFC 6455, 7.4.1).
const NORMAL_CLOSURE: u16 = 1000;

/// Queues the applicant for an operator. The token in the answer is the only way to
/// speak in this call; the server keeps its hash only.
#[utoipa::path(post, path = "/v1/calls", request_body = CallRequest,
    responses((status = 201, body = CallCreated), (status = 400), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CallRequest>,
) -> (StatusCode, Json<CallCreated>) {
    let created = state.calls.create(request.language, Instant::now());
    (
        StatusCode::CREATED,
        Json(CallCreated {
            id: created.id,
            token: created.token,
            wait_seconds: state.calls.wait_seconds,
            ice_servers: state.calls.ice_servers.clone(),
            // This server has no recording at all: the media goes browser to browser.
            recorded: false,
        }),
    )
}

/// Leaves the queue, or ends the call if an operator had answered.
#[utoipa::path(delete, path = "/v1/calls/{id}",
    params(("id" = String, Path, description = "The call's id"),
           ("authorization" = String, Header, description = "`Bearer <token>`")),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn leave(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    state.calls.leave(&id, super::bearer(&headers))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The applicant's signalling socket. A browser's WebSocket cannot set headers, so the
/// token comes as a second subprotocol (`Sec-WebSocket-Protocol: qoltanba.call.v1,
/// <token>`); it is checked before the upgrade, and only `qoltanba.call.v1` is
/// selected in the answer. The first message is `waiting` with the place in the queue.
#[utoipa::path(get, path = "/v1/calls/{id}/signal",
    params(("id" = String, Path, description = "The call's id"),
           ("sec-websocket-protocol" = String, Header,
            description = "`qoltanba.call.v1, <token>`")),
    responses((status = 101, description = "The signalling socket (JSON `Signal`s)"),
              (status = 403), (status = 404), (status = 409)))]
pub async fn signal(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let token = ws
        .requested_protocols()
        .filter_map(|p| p.to_str().ok())
        .find(|p| *p != SUBPROTOCOL)
        .map(str::to_owned);
    let offered = ws.requested_protocols().any(|p| p == SUBPROTOCOL);
    let line = state
        .calls
        .connect_applicant(&id, token.as_deref().filter(|_| offered))?;
    Ok(upgrade(ws, line))
}

/// Accepts the socket for a side whose line is already set up: if the upgrade fails,
/// the line is dropped and the call ends as for a dropped socket.
pub(super) fn upgrade(ws: WebSocketUpgrade, line: Line) -> Response {
    ws.protocols([SUBPROTOCOL])
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| speak(socket, line))
}

/// Passes signals between the server and one browser until the call is over or the
/// socket closes. What the browser sends that is not a `Signal`, or not one a browser
/// may send, is ignored.
async fn speak(mut socket: WebSocket, mut line: Line) {
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    let mut heard = Instant::now();
    loop {
        tokio::select! {
            signal = line.next() => {
                // `None`: the call is over and this side was told why.
                let Some(signal) = signal else { break };
                let text = serde_json::to_string(&signal).expect("a signal serialises");
                if socket.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
            message = socket.recv() => {
                heard = Instant::now();
                match message {
                    Some(Ok(Message::Text(text))) => {
                        if let Ok(signal) = serde_json::from_str::<Signal>(&text) {
                            line.from_browser(signal);
                        }
                    }
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                    // Pings, pongs and binary frames carry no signals.
                    Some(Ok(_)) => {}
                }
            }
            _ = ping.tick() => {
                if heard.elapsed() > SILENT_FOR
                    || socket.send(Message::Ping(Default::default())).await.is_err()
                {
                    break;
                }
            }
        }
    }
    // The other side learns of the end before this socket's close handshake.
    drop(line);
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: NORMAL_CLOSURE,
            reason: Default::default(),
        })))
        .await;
}
