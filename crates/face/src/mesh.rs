//! MediaPipe Face Mesh: 468 landmarks on a face that BlazeFace found, for the precise
//! head pose and the eyes (blinks) that BlazeFace's six keypoints cannot give.

#[cfg(feature = "inference")]
use crate::blazeface::Face;
#[cfg(feature = "inference")]
use crate::image::{self, Letterbox, Range};
#[cfg(feature = "inference")]
use crate::model::{self, FaceError};

/// Face Mesh's input is 192×192, RGB in [0, 1].
pub const MESH_SIDE: usize = 192;
pub const LANDMARKS: usize = 468;
/// MediaPipe crops 1.5× the detector's box, so the whole face and some margin are in.
#[cfg(feature = "inference")]
const CROP_SCALE: f32 = 1.5;

/// Landmark indices of each eye, in the order the eye aspect ratio needs: the two
/// corners (p1, p4) and two pairs of lid points (p2–p6, p3–p5). From MediaPipe's mesh.
const RIGHT_EYE: [usize; 6] = [33, 160, 158, 133, 153, 144];
const LEFT_EYE: [usize; 6] = [362, 385, 387, 263, 373, 380];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eye {
    /// The person's own right eye.
    Right,
    Left,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Landmarks {
    /// (x, y, z) in frame pixels (z relative, in the same scale).
    pub points: Vec<[f32; 3]>,
    /// Probability that the crop holds a face, 0..1.
    pub presence: f32,
}

impl Landmarks {
    /// Height of the eye opening over its width: about 0.25–0.35 open, under 0.15 shut.
    pub fn eye_aspect_ratio(&self, eye: Eye) -> f32 {
        let ids = match eye {
            Eye::Right => RIGHT_EYE,
            Eye::Left => LEFT_EYE,
        };
        let p = |i: usize| self.points[ids[i]];
        let distance =
            |a: [f32; 3], b: [f32; 3]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        (distance(p(1), p(5)) + distance(p(2), p(4))) / (2.0 * distance(p(0), p(3)))
    }

    /// Both eyes' aspect ratio, averaged: what the blink check reads.
    pub fn eye_openness(&self) -> f32 {
        (self.eye_aspect_ratio(Eye::Right) + self.eye_aspect_ratio(Eye::Left)) / 2.0
    }
}

#[cfg(feature = "inference")]
pub struct Mesh {
    plan: std::sync::Arc<tract_onnx::prelude::TypedRunnableModel>,
}

#[cfg(feature = "inference")]
impl Mesh {
    /// From the bytes of `face_mesh_192.onnx`.
    pub fn from_onnx(bytes: &[u8]) -> Result<Self, FaceError> {
        Ok(Self {
            plan: model::load(bytes, MESH_SIDE)?,
        })
    }

    /// The landmarks of `face` (a detection in the same RGBA frame). The crop is not
    /// rotated: the guidance asks for an upright head before the mesh is used.
    pub fn landmarks(
        &self,
        rgba: &[u8],
        width: usize,
        height: usize,
        face: &Face,
    ) -> Result<Landmarks, FaceError> {
        model::check_frame(rgba, width, height)?;
        let centre = face.bounds.center();
        let side_px = face.bounds.width.max(face.bounds.height) * CROP_SCALE;
        let crop = Letterbox::crop(
            centre.x - side_px / 2.0,
            centre.y - side_px / 2.0,
            side_px,
            MESH_SIDE,
        );
        let input = image::sample(rgba, width, height, crop, MESH_SIDE, Range::ZeroToOne);
        let outputs = model::run(&self.plan, &input, MESH_SIDE)?;
        let points = outputs[0]
            .chunks_exact(3)
            .take(LANDMARKS)
            .map(|p| {
                let (x, y) = crop.to_frame(p[0], p[1]);
                [x, y, p[2] / crop.scale]
            })
            .collect();
        let presence = 1.0 / (1.0 + (-outputs[1][0]).exp());
        Ok(Landmarks { points, presence })
    }
}
