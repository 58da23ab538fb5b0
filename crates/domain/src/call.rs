//! The operator's video call (step 5 of the guide): the applicant waits in a queue, an
//! operator answers, the two browsers exchange WebRTC offers and candidates through the
//! server, and either side ends it. Written once for the server's queue and both pages.

use serde::{Deserialize, Serialize};

use crate::api::Language;

/// The WebSocket subprotocol of the signalling channel. The applicant's call token
/// travels as a second subprotocol: a browser's WebSocket cannot set headers, and a
/// token in the URL would end up in logs.
pub const SUBPROTOCOL: &str = "qoltanba.call.v1";

/// «Видеозвонок»: the applicant asks for an operator speaking his language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallRequest {
    pub language: Language,
}

/// A STUN or TURN server for `RTCPeerConnection`; TURN servers need credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IceServer {
    pub urls: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// The queued call: its id, the secret that lets only this browser speak in it, and
/// how long the page waits before offering to leave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallCreated {
    pub id: String,
    pub token: String,
    pub wait_seconds: u32,
    /// ICE servers from the server's configuration (none on one machine).
    pub ice_servers: Vec<IceServer>,
    /// Whether the call is recorded (never, unless the server is configured to).
    pub recorded: bool,
}

/// A call waiting in the operators' queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitingCall {
    pub id: String,
    pub language: Language,
    pub position: u32,
    pub waiting_seconds: u64,
}

/// Why a call ended, as each side is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The other side pressed «Завершить».
    HungUp,
    /// The other side's connection dropped.
    Dropped,
    /// The applicant left the queue.
    Left,
}

/// What travels on the signalling channel. The server speaks `Waiting`, `Answered`,
/// `Joined` and `Ended`; `Offer`, `Answer` and `Candidate` are relayed from one browser to
/// the other untouched; `HangUp` comes from either browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Signal {
    /// To the applicant: his place in the queue (1 = next).
    Waiting {
        position: u32,
    },
    /// To the applicant: an operator took the call.
    Answered {
        operator: String,
    },
    /// To the operator: the applicant is on the line; he makes the offer, with the
    /// ICE servers of the server's configuration.
    Joined {
        language: Language,
        ice_servers: Vec<IceServer>,
    },
    Offer {
        sdp: String,
    },
    Answer {
        sdp: String,
    },
    Candidate {
        candidate: String,
        sdp_mid: Option<String>,
        sdp_m_line_index: Option<u16>,
    },
    HangUp,
    Ended {
        reason: EndReason,
    },
}

impl Signal {
    /// The messages one browser may send to the other through the server.
    pub fn is_relayed(&self) -> bool {
        matches!(
            self,
            Self::Offer { .. } | Self::Answer { .. } | Self::Candidate { .. }
        )
    }
}

/// The call's life: waiting in the queue, connected to one operator, over. A call is
/// answered once: a second operator cannot take it over, a finished call cannot resume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallState {
    Waiting,
    Connected { operator: String },
    Ended(EndReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    #[error("another operator has answered the call")]
    Taken,
    #[error("the call is over")]
    Over,
}

impl CallState {
    pub fn answer(&self, operator: &str) -> Result<Self, CallError> {
        match self {
            Self::Waiting => Ok(Self::Connected {
                operator: operator.to_owned(),
            }),
            Self::Connected { .. } => Err(CallError::Taken),
            Self::Ended(_) => Err(CallError::Over),
        }
    }

    pub fn end(&self, reason: EndReason) -> Result<Self, CallError> {
        match self {
            Self::Ended(_) => Err(CallError::Over),
            _ => Ok(Self::Ended(reason)),
        }
    }
}

/// The operator's form: the phone to register for the IIN, confirmed by the code the
/// applicant reads aloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneRegistrationRequest {
    pub iin: String,
    pub phone: String,
    /// The call during which it happens, for the audit.
    pub call: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneRegistrationStarted {
    pub id: String,
    pub expires_in_seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneRegistrationCode {
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_answered_once_and_ends_once() {
        let waiting = CallState::Waiting;
        let connected = waiting.answer("op1").unwrap();
        assert_eq!(connected.answer("op2"), Err(CallError::Taken));
        let ended = connected.end(EndReason::HungUp).unwrap();
        assert_eq!(ended.answer("op1"), Err(CallError::Over));
        assert_eq!(ended.end(EndReason::Dropped), Err(CallError::Over));
        assert_eq!(
            waiting.end(EndReason::Left),
            Ok(CallState::Ended(EndReason::Left))
        );
    }

    #[test]
    fn signals_are_tagged_json() {
        let offer = Signal::Offer { sdp: "v=0".into() };
        assert_eq!(
            serde_json::to_string(&offer).unwrap(),
            r#"{"type":"offer","sdp":"v=0"}"#
        );
        assert!(offer.is_relayed());
        assert!(!Signal::HangUp.is_relayed());
        let ended: Signal = serde_json::from_str(r#"{"type":"ended","reason":"dropped"}"#).unwrap();
        assert_eq!(
            ended,
            Signal::Ended {
                reason: EndReason::Dropped
            }
        );
    }
}
