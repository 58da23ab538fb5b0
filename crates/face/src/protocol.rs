//! The messages between the page and the face worker, as JSON. A frame's RGBA pixels
//! travel beside its message as a transferred `ArrayBuffer`, never through JSON.

use serde::{Deserialize, Serialize};

use crate::blazeface::Rect;
use crate::guidance::Guidance;
use crate::liveness::{Action, Measurement, Progress};

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Follow the selfie guidance from a fresh start.
    Guide,
    /// Follow a liveness challenge from a fresh start.
    Liveness {
        actions: Vec<Action>,
        deadline_ms: f64,
    },
    /// One frame, `at_ms` after the guidance or challenge started. `frame` numbers it,
    /// so the page can tell the answer to this frame from a late one to an earlier loop.
    Frame {
        frame: u32,
        width: u32,
        height: u32,
        at_ms: f64,
    },
    /// Only the short-range detector on one frame, no guidance: it exists for `make
    /// bench`, which times it side by side with MediaPipe's face detection.
    Detect { width: u32, height: u32 },
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    /// The models are loaded: frames may come.
    Ready {
        load_ms: f64,
    },
    /// The models could not be loaded or run; the text is for the log only.
    Failed {
        message: String,
    },
    Frame(FrameReport),
    /// The answer to `Request::Detect`: the faces, and the time the detector took.
    Detected {
        faces: Vec<Rect>,
        elapsed_ms: f64,
    },
}

/// What the worker saw in one frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameReport {
    /// The request's frame number.
    pub frame: u32,
    /// Every face found, in frame pixels.
    pub faces: Vec<Rect>,
    pub guidance: Guidance,
    /// The selfie may be taken now (the face has been ready long enough).
    pub capture: bool,
    /// Where the challenge stands, while one is followed.
    pub liveness: Option<Progress>,
    /// The values the liveness check read, when there was a face.
    pub measurement: Option<Measurement>,
    /// Time spent on this frame in the worker.
    pub elapsed_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_tagged_json() {
        let request = Request::Liveness {
            actions: vec![Action::TurnLeft, Action::Blink, Action::MoveCloser],
            deadline_ms: 60_000.0,
        };
        let json = serde_json::to_string(&request).unwrap();
        assert_eq!(
            json,
            r#"{"type":"liveness","actions":["turn_left","blink","move_closer"],"deadline_ms":60000.0}"#
        );
        let report = Reply::Frame(FrameReport {
            frame: 7,
            faces: vec![],
            guidance: Guidance::NoFace,
            capture: false,
            liveness: Some(Progress::Doing {
                index: 1,
                action: Action::Blink,
            }),
            measurement: None,
            elapsed_ms: 4.5,
        });
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains(r#""type":"frame""#), "{json}");
        assert!(
            json.contains(r#""liveness":{"state":"doing","index":1,"action":"blink"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Reply>(&json).unwrap(), report);
    }
}
