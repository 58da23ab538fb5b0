//! What the face worker does with each frame: detection, the mesh for the eyes, then
//! the selfie guidance or the liveness check. Kept here, not in the worker, so the same
//! steps run natively in tests and on the server.

use crate::guidance::{self, Guide, LIMITS};
use crate::liveness::{Action, Liveness, Measurement, THRESHOLDS};
use crate::mesh::Mesh;
use crate::model::{Detector, Detectors, FaceError};
use crate::pose;
use crate::protocol::FrameReport;
use crate::Face;

/// In an empty room the worker runs the far detector at most this often (ms) rather
/// than on every frame: it costs about five times the short-range one, and only tells
/// someone too far away to come closer, which can wait a fifth of a second. Meanwhile
/// the loop keeps the camera's rate.
pub const EMPTY_ROOM_FAR_MS: f64 = 200.0;

/// The faces in a frame and what the liveness check reads from them. The mesh runs
/// only when there is exactly one face: with more the frame fails anyway.
pub fn measure(
    detectors: &Detectors,
    mesh: &Mesh,
    rgba: &[u8],
    width: usize,
    height: usize,
    at_ms: f64,
) -> Result<(Vec<Face>, Option<Measurement>), FaceError> {
    let faces = detectors.detect(rgba, width, height)?;
    let measurement = measurement(&faces, Some(mesh), rgba, width, height, at_ms)?;
    Ok((faces, measurement))
}

/// What the liveness check reads from the faces found in a frame; the eyes only with a
/// mesh.
fn measurement(
    faces: &[Face],
    mesh: Option<&Mesh>,
    rgba: &[u8],
    width: usize,
    height: usize,
    at_ms: f64,
) -> Result<Option<Measurement>, FaceError> {
    Ok(match faces {
        [] => None,
        [face] => Some(Measurement {
            at_ms,
            faces: 1,
            yaw: pose::yaw(face),
            face_width: face.bounds.width,
            eye_openness: match mesh {
                Some(mesh) => Some(mesh.landmarks(rgba, width, height, face)?.eye_openness()),
                None => None,
            },
        }),
        [first, ..] => Some(Measurement {
            at_ms,
            faces: faces.len(),
            yaw: pose::yaw(first),
            face_width: first.bounds.width,
            eye_openness: None,
        }),
    })
}

/// The worker's state: the models, and the guidance or challenge being followed.
pub struct Tracker {
    detectors: Detectors,
    mesh: Mesh,
    guide: Guide,
    liveness: Option<Liveness>,
    /// Until when (ms) the far detector rests: it found nothing in an empty frame.
    far_rests_until: f64,
}

impl Tracker {
    /// From the bytes of `blazeface_front_128.onnx`, `blazeface_back_256.onnx` and
    /// `face_mesh_192.onnx`.
    pub fn new(
        detector_onnx: &[u8],
        far_detector_onnx: &[u8],
        mesh_onnx: &[u8],
    ) -> Result<Self, FaceError> {
        Ok(Self {
            detectors: Detectors {
                near: Detector::from_onnx(detector_onnx)?,
                far: Detector::far_from_onnx(far_detector_onnx)?,
            },
            mesh: Mesh::from_onnx(mesh_onnx)?,
            guide: Guide::new(LIMITS),
            liveness: None,
            far_rests_until: 0.0,
        })
    }

    /// Starts the selfie guidance afresh (frame times start again from 0).
    pub fn guide(&mut self) {
        self.guide = Guide::new(LIMITS);
        self.liveness = None;
        self.far_rests_until = 0.0;
    }

    /// Starts following a challenge afresh.
    pub fn follow(&mut self, actions: Vec<Action>, deadline_ms: f64) {
        self.guide();
        self.liveness = Some(Liveness::new(actions, deadline_ms, THRESHOLDS));
    }

    /// The short-range detector alone: what MediaPipe's face detection does, for
    /// comparing the two (`make bench`).
    pub fn detect(&self, rgba: &[u8], width: usize, height: usize) -> Result<Vec<Face>, FaceError> {
        self.detectors.near.detect(rgba, width, height)
    }

    /// One frame; `frame` and `elapsed_ms` are left for the caller, who numbers the
    /// frames and has the clock.
    pub fn frame(
        &mut self,
        rgba: &[u8],
        width: usize,
        height: usize,
        at_ms: f64,
    ) -> Result<FrameReport, FaceError> {
        let faces = self.detect_faces(rgba, width, height, at_ms)?;
        // The selfie guidance reads no eyes, nor a challenge without a blink.
        let mesh = self
            .liveness
            .as_ref()
            .is_some_and(Liveness::reads_eyes)
            .then_some(&self.mesh);
        let measurement = measurement(&faces, mesh, rgba, width, height, at_ms)?;
        let luma = faces
            .first()
            .map_or(0.0, |face| guidance::face_luma(rgba, width, height, face));
        let guidance = self.guide.observe(&faces, width, height, luma, at_ms);
        let liveness = self.liveness.as_mut().map(|check| match measurement {
            Some(m) => check.observe(m),
            // No face: still counts against the deadline.
            None => check.observe(Measurement {
                at_ms,
                faces: 0,
                yaw: 0.0,
                face_width: 0.0,
                eye_openness: None,
            }),
        });
        Ok(FrameReport {
            frame: 0,
            faces: faces.iter().map(|face| face.bounds).collect(),
            guidance,
            capture: self.liveness.is_none() && self.guide.should_capture(),
            liveness,
            measurement,
            elapsed_ms: 0.0,
        })
    }

    /// `Detectors::detect`, but with the far detector resting after it found an empty
    /// room (`EMPTY_ROOM_FAR_MS`). A face it found keeps it running on every frame.
    fn detect_faces(
        &mut self,
        rgba: &[u8],
        width: usize,
        height: usize,
        at_ms: f64,
    ) -> Result<Vec<Face>, FaceError> {
        let faces = self.detectors.near.detect(rgba, width, height)?;
        if !faces.is_empty() || at_ms < self.far_rests_until {
            return Ok(faces);
        }
        let faces = self.detectors.far.detect(rgba, width, height)?;
        if faces.is_empty() {
            self.far_rests_until = at_ms + EMPTY_ROOM_FAR_MS;
        }
        Ok(faces)
    }
}
