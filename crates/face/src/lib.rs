//! Faces on the device: MediaPipe BlazeFace (short range, 128×128) run with tract-onnx,
//! and the geometry the selfie guidance and video liveness read from it.
//!
//! The same code runs in the browser's face worker (wasm32) and natively, where the
//! server re-checks liveness frames and the tests pin it down.

pub mod blazeface;
pub mod guidance;
pub mod image;
pub mod liveness;
pub mod mesh;
pub mod model;
pub mod pose;

pub use blazeface::{Face, Keypoint, Point, Rect};
pub use model::{Detector, FaceError};
