//! One side of the call's WebRTC connection: our camera and microphone out, the other
//! side's stream in, candidates handed to the signalling channel.

use js_sys::Reflect;
use qoltanba_domain::call::{IceServer, Signal};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcConfiguration, RtcIceCandidateInit, RtcIceServer,
    RtcPeerConnection, RtcPeerConnectionIceEvent, RtcSdpType, RtcSessionDescriptionInit,
    RtcTrackEvent,
};

use super::CallFailure;

pub struct Peer {
    connection: RtcPeerConnection,
    _on_candidate: Closure<dyn FnMut(RtcPeerConnectionIceEvent)>,
    _on_track: Closure<dyn FnMut(RtcTrackEvent)>,
}

fn failed(_: JsValue) -> CallFailure {
    CallFailure::Connection
}

/// The SDP text of a description the browser made.
fn sdp_of(description: &JsValue) -> Result<String, CallFailure> {
    Reflect::get(description, &"sdp".into())
        .ok()
        .and_then(|sdp| sdp.as_string())
        .ok_or(CallFailure::Connection)
}

impl Peer {
    pub fn new(
        ice_servers: &[IceServer],
        local: &MediaStream,
        send: impl Fn(Signal) + 'static,
        on_remote: impl Fn(MediaStream) + 'static,
    ) -> Result<Self, CallFailure> {
        let configuration = RtcConfiguration::new();
        let servers = js_sys::Array::new();
        for ice in ice_servers {
            let server = RtcIceServer::new();
            server.set_urls_str(&ice.urls);
            if let (Some(username), Some(credential)) = (&ice.username, &ice.credential) {
                server.set_username(username);
                server.set_credential(credential);
            }
            servers.push(&server);
        }
        configuration.set_ice_servers(&servers);
        let connection =
            RtcPeerConnection::new_with_configuration(&configuration).map_err(failed)?;
        for track in local.get_tracks().iter() {
            connection.add_track_0(&track.unchecked_into::<MediaStreamTrack>(), local);
        }
        let on_candidate = Closure::<dyn FnMut(RtcPeerConnectionIceEvent)>::new(
            move |event: RtcPeerConnectionIceEvent| {
                // The last event carries no candidate: gathering is over, nothing to send.
                if let Some(candidate) = event.candidate() {
                    send(Signal::Candidate {
                        candidate: candidate.candidate(),
                        sdp_mid: candidate.sdp_mid(),
                        sdp_m_line_index: candidate.sdp_m_line_index(),
                    });
                }
            },
        );
        let on_track = Closure::<dyn FnMut(RtcTrackEvent)>::new(move |event: RtcTrackEvent| {
            if let Ok(stream) = event.streams().get(0).dyn_into::<MediaStream>() {
                on_remote(stream);
            }
        });
        connection.set_onicecandidate(Some(on_candidate.as_ref().unchecked_ref()));
        connection.set_ontrack(Some(on_track.as_ref().unchecked_ref()));
        Ok(Self {
            connection,
            _on_candidate: on_candidate,
            _on_track: on_track,
        })
    }

    /// The calling side (the operator): our offer's SDP.
    pub async fn offer(&self) -> Result<String, CallFailure> {
        let offer = JsFuture::from(self.connection.create_offer())
            .await
            .map_err(failed)?;
        JsFuture::from(
            self.connection
                .set_local_description(offer.unchecked_ref::<RtcSessionDescriptionInit>()),
        )
        .await
        .map_err(failed)?;
        sdp_of(&offer)
    }

    /// The answering side (the applicant): takes the offer, returns the answer's SDP.
    pub async fn answer(&self, offer: &str) -> Result<String, CallFailure> {
        self.remote(RtcSdpType::Offer, offer).await?;
        let answer = JsFuture::from(self.connection.create_answer())
            .await
            .map_err(failed)?;
        JsFuture::from(
            self.connection
                .set_local_description(answer.unchecked_ref::<RtcSessionDescriptionInit>()),
        )
        .await
        .map_err(failed)?;
        sdp_of(&answer)
    }

    /// The other side's description: the answer to our offer, or its offer.
    pub async fn remote(&self, kind: RtcSdpType, sdp: &str) -> Result<(), CallFailure> {
        let description = RtcSessionDescriptionInit::new(kind);
        description.set_sdp(sdp);
        JsFuture::from(self.connection.set_remote_description(&description))
            .await
            .map(drop)
            .map_err(failed)
    }

    pub async fn candidate(
        &self,
        candidate: &str,
        sdp_mid: Option<&str>,
        sdp_m_line_index: Option<u16>,
    ) -> Result<(), CallFailure> {
        let init = RtcIceCandidateInit::new(candidate);
        init.set_sdp_mid(sdp_mid);
        init.set_sdp_m_line_index(sdp_m_line_index);
        JsFuture::from(
            self.connection
                .add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&init)),
        )
        .await
        .map(drop)
        .map_err(failed)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.connection.set_onicecandidate(None);
        self.connection.set_ontrack(None);
        self.connection.close();
    }
}
