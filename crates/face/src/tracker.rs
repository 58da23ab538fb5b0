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
    let measurement = match faces.as_slice() {
        [] => None,
        [face] => Some(Measurement {
            at_ms,
            faces: 1,
            yaw: pose::yaw(face),
            face_width: face.bounds.width,
            eye_openness: Some(mesh.landmarks(rgba, width, height, face)?.eye_openness()),
        }),
        [first, ..] => Some(Measurement {
            at_ms,
            faces: faces.len(),
            yaw: pose::yaw(first),
            face_width: first.bounds.width,
            eye_openness: None,
        }),
    };
    Ok((faces, measurement))
}

/// The worker's state: the models, and the guidance or challenge being followed.
pub struct Tracker {
    detectors: Detectors,
    mesh: Mesh,
    guide: Guide,
    liveness: Option<Liveness>,
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
        })
    }

    /// Starts the selfie guidance afresh.
    pub fn guide(&mut self) {
        self.guide = Guide::new(LIMITS);
        self.liveness = None;
    }

    /// Starts following a challenge afresh.
    pub fn follow(&mut self, actions: Vec<Action>, deadline_ms: f64) {
        self.guide = Guide::new(LIMITS);
        self.liveness = Some(Liveness::new(actions, deadline_ms, THRESHOLDS));
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
        let (faces, measurement) =
            measure(&self.detectors, &self.mesh, rgba, width, height, at_ms)?;
        let luma = faces
            .first()
            .map_or(0.0, |face| guidance::face_luma(rgba, width, height, face));
        let guidance = self.guide.observe(&faces, width, height, luma);
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
}
