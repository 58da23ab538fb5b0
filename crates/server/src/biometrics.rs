//! The face models on the server and the pictures they look at. The page checks the
//! selfie and the movements itself; the server does it again here with the same code
//! (`qoltanba_face`), because nothing the browser says can be taken on trust.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use qoltanba_face::embedding::{Descriptor, Embedder};
use qoltanba_face::liveness::Measurement;
use qoltanba_face::mesh::Mesh;
use qoltanba_face::{tracker, Detector, Detectors, Face, FaceError};

/// Larger than any webcam frame the page sends, small enough to decode cheaply.
pub const MAX_SIDE: u32 = 1920;

#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("the picture is not base64")]
    NotBase64,
    #[error("the picture is not a JPEG or PNG image")]
    NotAnImage,
    #[error("the picture is larger than {MAX_SIDE}×{MAX_SIDE}")]
    TooLarge,
}

/// The file inside a picture sent as base64 text, with or without a `data:` URL prefix.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, PictureError> {
    let payload = match text.split_once(";base64,") {
        Some((prefix, payload)) if prefix.starts_with("data:image/") => payload,
        _ => text,
    };
    base64::engine::general_purpose::STANDARD
        .decode(payload.trim())
        .map_err(|_| PictureError::NotBase64)
}

/// Decoded RGBA pixels.
pub struct Picture {
    pub rgba: Vec<u8>,
    pub width: usize,
    pub height: usize,
}

impl Picture {
    /// From base64 JPEG or PNG, with or without a `data:` URL prefix.
    pub fn from_base64(text: &str) -> Result<Self, PictureError> {
        Self::from_bytes(&decode_base64(text)?)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PictureError> {
        let mut reader = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|_| PictureError::NotAnImage)?;
        if !matches!(
            reader.format(),
            Some(image::ImageFormat::Jpeg | image::ImageFormat::Png)
        ) {
            return Err(PictureError::NotAnImage);
        }
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        reader.limits(limits);
        let image = reader.decode().map_err(|e| match e {
            image::ImageError::Limits(_) => PictureError::TooLarge,
            _ => PictureError::NotAnImage,
        })?;
        let rgba = image.to_rgba8();
        Ok(Self {
            width: rgba.width() as usize,
            height: rgba.height() as usize,
            rgba: rgba.into_raw(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot load {file}: {source}")]
pub struct ModelError {
    file: String,
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
}

const DETECTOR: &str = "blazeface_front_128.onnx";
const FAR_DETECTOR: &str = "blazeface_back_256.onnx";
const MESH: &str = "face_mesh_192.onnx";
const EMBEDDER: &str = "face_recognition_150.onnx";

/// The models, loaded on first use: tract prepares them for a second or more, which a
/// server that is not asked for a face check (most tests, a restart) need not pay.
pub struct LazyModels {
    dir: PathBuf,
    loaded: tokio::sync::OnceCell<Arc<FaceModels>>,
}

impl LazyModels {
    /// Fails at once if a model file is missing, so a broken install shows at start.
    pub fn new(dir: &Path) -> Result<Self, ModelError> {
        for file in [DETECTOR, FAR_DETECTOR, MESH, EMBEDDER] {
            std::fs::metadata(dir.join(file)).map_err(|e| ModelError {
                file: file.to_owned(),
                source: Box::new(e),
            })?;
        }
        Ok(Self {
            dir: dir.to_owned(),
            loaded: tokio::sync::OnceCell::new(),
        })
    }

    pub async fn get(&self) -> Result<Arc<FaceModels>, ModelError> {
        self.loaded
            .get_or_try_init(|| async {
                let dir = self.dir.clone();
                tokio::task::spawn_blocking(move || FaceModels::load(&dir).map(Arc::new))
                    .await
                    .expect("loading the models does not panic")
            })
            .await
            .cloned()
    }
}

pub struct FaceModels {
    detectors: Detectors,
    mesh: Mesh,
    embedder: Embedder,
}

impl FaceModels {
    /// From the repository's `models/` folder (the same files the page loads).
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        fn load<T>(
            dir: &Path,
            file: &str,
            parse: impl FnOnce(&[u8]) -> Result<T, FaceError>,
        ) -> Result<T, ModelError> {
            let failed = |source: Box<dyn std::error::Error + Send + Sync>| ModelError {
                file: file.to_owned(),
                source,
            };
            let bytes = std::fs::read(dir.join(file)).map_err(|e| failed(Box::new(e)))?;
            parse(&bytes).map_err(|e| failed(Box::new(e)))
        }
        Ok(Self {
            detectors: Detectors {
                near: load(dir, DETECTOR, Detector::from_onnx)?,
                far: load(dir, FAR_DETECTOR, Detector::far_from_onnx)?,
            },
            mesh: load(dir, MESH, Mesh::from_onnx)?,
            embedder: load(dir, EMBEDDER, Embedder::from_onnx)?,
        })
    }

    /// The faces to describe. Only the short-range model: a face that only the far one
    /// finds is too small for a descriptor to be trusted.
    pub fn detect(&self, picture: &Picture) -> Result<Vec<Face>, FaceError> {
        self.detectors
            .near
            .detect(&picture.rgba, picture.width, picture.height)
    }

    /// The face's descriptor, for comparing who it is.
    pub fn describe(&self, picture: &Picture, face: &Face) -> Result<Descriptor, FaceError> {
        self.embedder
            .describe(&picture.rgba, picture.width, picture.height, face)
    }

    /// The faces in a picture and what the liveness check reads from it, exactly as
    /// the page's worker measures.
    pub fn measure(
        &self,
        picture: &Picture,
        at_ms: f64,
    ) -> Result<(Vec<Face>, Option<Measurement>), FaceError> {
        tracker::measure(
            &self.detectors,
            &self.mesh,
            &picture.rgba,
            picture.width,
            picture.height,
            at_ms,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_other_formats_are_not_pictures() {
        assert!(matches!(
            Picture::from_base64("not base64 at all!"),
            Err(PictureError::NotBase64)
        ));
        let gif = base64::engine::general_purpose::STANDARD.encode(b"GIF89a\x01\x00\x01\x00");
        assert!(matches!(
            Picture::from_base64(&gif),
            Err(PictureError::NotAnImage)
        ));
    }

    #[test]
    fn a_data_url_png_decodes() {
        let photo = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/astronaut.png"
        ))
        .unwrap();
        let url = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&photo)
        );
        let picture = Picture::from_base64(&url).unwrap();
        assert_eq!((picture.width, picture.height), (512, 512));
        assert_eq!(picture.rgba.len(), 512 * 512 * 4);
    }
}
