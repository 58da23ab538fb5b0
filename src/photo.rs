//! Document photos in the browser: a chosen file checked before it is sent (the server
//! checks again), a camera frame turned into a JPEG, and the machine-readable zone read
//! from the photo (`qoltanba-mrz-ocr`).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, HtmlCanvasElement, HtmlVideoElement};

/// The server's limit (`document_photo::MAX_BYTES`), said before a long upload.
pub const MAX_BYTES: f64 = 10.0 * 1024.0 * 1024.0;
const JPEG_QUALITY: f64 = 0.92;

/// Why a file cannot be a document photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than 10 MB")]
    TooLarge,
    #[error("the file is not a JPEG")]
    NotJpeg,
}

/// By size and by the first bytes: a PNG renamed `.jpg` is still a PNG.
pub async fn check(file: &Blob) -> Result<(), FileProblem> {
    if file.size() == 0.0 {
        return Err(FileProblem::Empty);
    }
    if file.size() > MAX_BYTES {
        return Err(FileProblem::TooLarge);
    }
    let head = file
        .slice_with_i32_and_i32(0, 3)
        .map_err(|_| FileProblem::NotJpeg)?;
    let bytes = JsFuture::from(head.array_buffer())
        .await
        .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
        .map_err(|_| FileProblem::NotJpeg)?;
    if bytes == [0xFF, 0xD8, 0xFF] {
        Ok(())
    } else {
        Err(FileProblem::NotJpeg)
    }
}

/// The video's current frame at its own size, as a JPEG.
pub async fn capture(video: &HtmlVideoElement, canvas: &HtmlCanvasElement) -> Option<Blob> {
    let (width, height) = (video.video_width(), video.video_height());
    if width == 0 || height == 0 {
        return None;
    }
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .draw_image_with_html_video_element(video, 0.0, 0.0)
        .ok()?;
    // `toBlob` reports through a callback; a promise makes it awaitable.
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = canvas.to_blob_with_type_and_encoder_options(
            &resolve,
            "image/jpeg",
            &JsValue::from(JPEG_QUALITY),
        );
    });
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

/// Photos are read at most this wide or high: the zone's characters stay large enough.
const READ_SIDE: f64 = 1600.0;

/// The machine-readable zone in a photo, read in the browser, when it can be read.
/// `createImageBitmap` turns the picture by its EXIF orientation, as the server does.
pub async fn read_zone(photo: &Blob) -> Option<String> {
    let window = web_sys::window()?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(photo).ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (READ_SIDE / width.max(height)).min(1.0);
    let (w, h) = ((width * scale).round(), (height * scale).round());
    let canvas: HtmlCanvasElement = window
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)
        .ok()?;
    bitmap.close();
    let pixels = context.get_image_data(0.0, 0.0, w, h).ok()?.data().0;
    qoltanba_mrz_ocr::read(&pixels, w as usize, h as usize)
}

/// A URL to show the blob in an `<img>`; the caller revokes it.
pub fn object_url(blob: &Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(blob).ok()
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}
