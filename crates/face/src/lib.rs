//! Faces on the device: MediaPipe BlazeFace (short range, 128×128, and the 256×256 model
//! for faces farther away) and Face Mesh run with tract-onnx, and the geometry the selfie
//! guidance and video liveness read from them.
//!
//! The same code runs in the browser's face worker (wasm32) and natively, where the
//! server re-checks liveness frames and the tests pin it down. Without the `inference`
//! feature only the pure parts remain: the geometry and the worker's messages, which
//! the SPA's main bundle needs without carrying tract.

pub mod blazeface;
#[cfg(feature = "inference")]
pub mod embedding;
pub mod guidance;
pub mod image;
pub mod liveness;
pub mod mesh;
#[cfg(feature = "inference")]
pub mod model;
pub mod pose;
pub mod protocol;
#[cfg(feature = "inference")]
pub mod tracker;

pub use blazeface::{Face, Keypoint, Point, Rect};
#[cfg(feature = "inference")]
pub use embedding::{Descriptor, Embedder, Verdict};
#[cfg(feature = "inference")]
pub use model::{Detector, Detectors, FaceError};
