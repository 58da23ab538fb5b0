//! The operator's video call in the browser, for both sides: the signalling channel to
//! our server, the WebRTC connection, and the call's phases as the page shows them.

mod peer;
mod signalling;

use futures::StreamExt;
use leptos::task::spawn_local;
use qoltanba_domain::call::{EndReason, IceServer, Signal};
use web_sys::{MediaStream, MediaStreamTrack, RtcSdpType};

use peer::Peer;
use signalling::{Incoming, Signalling};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallFailure {
    #[error("this browser cannot make video calls")]
    Unsupported,
    #[error("the video connection could not be set up")]
    Connection,
}

/// Where the call stands, for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Reaching the server.
    Connecting,
    /// In the queue (1 = next).
    Waiting {
        position: u32,
    },
    /// Talking; the applicant knows the operator's name.
    Connected {
        operator: Option<String>,
    },
    Ended(Ending),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// We pressed «Завершить» (or left the queue).
    HungUpHere,
    /// The other side ended it, or its connection dropped.
    There(EndReason),
    /// Our own connection to the server dropped.
    Dropped,
    /// The server did not let us in (another's call, taken, over).
    Refused,
    Failed(CallFailure),
}

/// Which side of the call this page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// Answers the operator's offer, with the ICE servers the server gave at queueing.
    Applicant { ice_servers: Vec<IceServer> },
    /// Makes the offer once the applicant has joined.
    Operator,
}

/// A call in progress; dropping it closes the channel and the connection.
pub struct Line {
    signalling: Signalling,
}

impl Line {
    /// Connects to the call's signalling channel at `path` and runs the call: `on_phase`
    /// hears each change, `on_remote` gets the other side's stream.
    pub fn start(
        side: Side,
        path: &str,
        secret: Option<&str>,
        local: MediaStream,
        on_phase: impl Fn(Phase) + 'static,
        on_remote: impl Fn(MediaStream) + Clone + 'static,
    ) -> Result<Self, CallFailure> {
        let (signalling, mut incoming) = Signalling::open(path, secret)?;
        let send = signalling.sender();
        on_phase(Phase::Connecting);
        spawn_local(async move {
            let mut peer: Option<Peer> = None;
            let mut heard = false;
            let new_peer = |ice_servers: &[IceServer]| {
                Peer::new(ice_servers, &local, send.clone(), on_remote.clone())
            };
            while let Some(message) = incoming.next().await {
                let step = match message {
                    Incoming::Closed => {
                        on_phase(Phase::Ended(if heard {
                            Ending::Dropped
                        } else {
                            Ending::Refused
                        }));
                        break;
                    }
                    Incoming::Signal(signal) => {
                        heard = true;
                        match (signal, &side) {
                            (Signal::Waiting { position }, _) => {
                                on_phase(Phase::Waiting { position });
                                Ok(())
                            }
                            (Signal::Answered { operator }, Side::Applicant { ice_servers }) => {
                                new_peer(ice_servers).map(|p| {
                                    peer = Some(p);
                                    on_phase(Phase::Connected {
                                        operator: Some(operator),
                                    });
                                })
                            }
                            (Signal::Joined { ice_servers, .. }, Side::Operator) => {
                                match new_peer(&ice_servers) {
                                    Ok(p) => {
                                        on_phase(Phase::Connected { operator: None });
                                        let offer = p.offer().await;
                                        peer = Some(p);
                                        offer.map(|sdp| send(Signal::Offer { sdp }))
                                    }
                                    Err(e) => Err(e),
                                }
                            }
                            (Signal::Offer { sdp }, _) => match &peer {
                                Some(p) => {
                                    p.answer(&sdp).await.map(|sdp| send(Signal::Answer { sdp }))
                                }
                                None => Err(CallFailure::Connection),
                            },
                            (Signal::Answer { sdp }, _) => match &peer {
                                Some(p) => p.remote(RtcSdpType::Answer, &sdp).await,
                                None => Err(CallFailure::Connection),
                            },
                            (
                                Signal::Candidate {
                                    candidate,
                                    sdp_mid,
                                    sdp_m_line_index,
                                },
                                _,
                            ) => {
                                if let Some(p) = &peer {
                                    // A candidate the browser cannot use is skipped;
                                    // others will do.
                                    let _ = p
                                        .candidate(&candidate, sdp_mid.as_deref(), sdp_m_line_index)
                                        .await;
                                }
                                Ok(())
                            }
                            (Signal::Ended { reason }, _) => {
                                on_phase(Phase::Ended(Ending::There(reason)));
                                break;
                            }
                            // Not for this side: ignored.
                            _ => Ok(()),
                        }
                    }
                };
                if let Err(failure) = step {
                    send(Signal::HangUp);
                    on_phase(Phase::Ended(Ending::Failed(failure)));
                    break;
                }
            }
            drop(peer);
        });
        Ok(Self { signalling })
    }

    /// «Завершить»: the other side is told, then everything closes.
    pub fn hang_up(self) {
        self.signalling.send(&Signal::HangUp);
    }
}

/// Turns the stream's tracks of one kind ("audio", "video") on or off: muting keeps the
/// connection, the other side gets silence or black.
pub fn set_enabled(stream: &MediaStream, kind: &str, enabled: bool) {
    for track in stream.get_tracks().iter() {
        let track: MediaStreamTrack = wasm_bindgen::JsCast::unchecked_into(track);
        if track.kind() == kind {
            track.set_enabled(enabled);
        }
    }
}
