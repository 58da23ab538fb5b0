//! The call's signalling channel: a WebSocket to our server carrying `domain::call::Signal`
//! as JSON. Incoming messages go into one queue so that they are handled in order (a
//! candidate must not overtake the offer it belongs to).

use futures::channel::mpsc::{self, UnboundedReceiver};
use qoltanba_domain::call::{Signal, SUBPROTOCOL};
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use super::CallFailure;

/// What the channel delivers.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Signal(Signal),
    /// The server closed the channel, or the connection dropped.
    Closed,
}

pub struct Signalling {
    socket: WebSocket,
    // Kept alive as long as the socket may call them.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

/// `ws://` or `wss://` to our own host, as the page was loaded.
fn url(path: &str) -> Result<String, CallFailure> {
    let location = web_sys::window()
        .ok_or(CallFailure::Unsupported)?
        .location();
    let secure = location.protocol().map_err(|_| CallFailure::Unsupported)? == "https:";
    let host = location.host().map_err(|_| CallFailure::Unsupported)?;
    Ok(format!(
        "{}://{host}{path}",
        if secure { "wss" } else { "ws" }
    ))
}

impl Signalling {
    /// Opens the channel; `secret` (the applicant's call token) travels as a second
    /// subprotocol, since a browser's WebSocket cannot carry headers.
    pub fn open(
        path: &str,
        secret: Option<&str>,
    ) -> Result<(Self, UnboundedReceiver<Incoming>), CallFailure> {
        let protocols = js_sys::Array::of1(&SUBPROTOCOL.into());
        if let Some(secret) = secret {
            protocols.push(&secret.into());
        }
        let socket = WebSocket::new_with_str_sequence(&url(path)?, &protocols)
            .map_err(|_| CallFailure::Unsupported)?;
        let (sender, receiver) = mpsc::unbounded();
        let on_message = {
            let sender = sender.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                // Anything that is not a signal is not ours to act on.
                if let Some(signal) = event
                    .data()
                    .as_string()
                    .and_then(|text| serde_json::from_str::<Signal>(&text).ok())
                {
                    let _ = sender.unbounded_send(Incoming::Signal(signal));
                }
            })
        };
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            let _ = sender.unbounded_send(Incoming::Closed);
            sender.close_channel();
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok((
            Self {
                socket,
                _on_message: on_message,
                _on_close: on_close,
            },
            receiver,
        ))
    }

    /// A signal to the server; lost if the channel is closing, which ends the call anyway.
    pub fn send(&self, signal: &Signal) {
        if let Ok(text) = serde_json::to_string(signal) {
            let _ = self.socket.send_with_str(&text);
        }
    }

    pub fn sender(&self) -> impl Fn(Signal) + Clone + 'static {
        let socket = self.socket.clone();
        move |signal| {
            if let Ok(text) = serde_json::to_string(&signal) {
                let _ = socket.send_with_str(&text);
            }
        }
    }
}

impl Drop for Signalling {
    fn drop(&mut self) {
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        let _ = self.socket.close();
    }
}
