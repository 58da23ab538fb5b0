//! A photo of a document side as the applicant uploads it: JPEG only, within a size
//! limit, turned upright by its EXIF orientation and re-encoded, which also drops the
//! metadata (camera, place, time) the applicant never meant to send.

use std::io::Cursor;

use image::codecs::jpeg::{JpegDecoder, JpegEncoder};
use image::{DynamicImage, ImageDecoder};

/// What the server accepts; the page checks the same before sending.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Phone cameras give up to ~50 MP; more is not a photo of a card.
const MAX_PIXELS: u64 = 60_000_000;
/// Smaller than this, an operator could not read the card.
const MIN_SIDE: u32 = 320;
/// Stored at most this wide or high: enough to read every field.
const STORED_SIDE: u32 = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a JPEG image")]
    NotJpeg,
    #[error("the JPEG cannot be read, or is too small or too large to be a document photo")]
    Unreadable,
}

/// The upright, metadata-free JPEG to keep.
pub fn normalise(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    // The magic bytes, not the file name or the declared type: a renamed PNG is a PNG.
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(PhotoError::NotJpeg);
    }
    let mut decoder = JpegDecoder::new(Cursor::new(bytes)).map_err(|_| PhotoError::Unreadable)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width.min(height) < MIN_SIDE {
        return Err(PhotoError::Unreadable);
    }
    let orientation = decoder.orientation().map_err(|_| PhotoError::Unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Unreadable)?;
    picture.apply_orientation(orientation);
    if picture.width().max(picture.height()) > STORED_SIDE {
        picture = picture.resize(
            STORED_SIDE,
            STORED_SIDE,
            image::imageops::FilterType::Triangle,
        );
    }
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 88)
        .encode_image(&picture.to_rgb8())
        .map_err(|_| PhotoError::Unreadable)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use image::{ImageFormat, Rgb, RgbImage};

    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = RgbImage::from_fn(width, height, |x, _| Rgb([(x % 256) as u8, 90, 160]));
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    /// An APP1 Exif segment with one IFD entry: Orientation (0x0112) = `value`.
    pub fn with_orientation(jpeg: &[u8], value: u16) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        tiff.extend_from_slice(&value.to_be_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let mut segment = b"Exif\0\0".to_vec();
        segment.extend_from_slice(&tiff);
        let length = (segment.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&segment);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn size(jpeg: &[u8]) -> (u32, u32) {
        image::load_from_memory(jpeg)
            .unwrap()
            .to_rgb8()
            .dimensions()
    }

    #[test]
    fn a_jpeg_is_kept_and_a_rotated_one_is_turned_upright() {
        let plain = jpeg(800, 500);
        assert_eq!(size(&normalise(&plain).unwrap()), (800, 500));
        // Orientation 6: the camera was turned; the picture must be shown rotated 90°.
        let turned = with_orientation(&plain, 6);
        assert_eq!(size(&normalise(&turned).unwrap()), (500, 800));
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(normalise(&[]), Err(PhotoError::Empty));
        let mut png = Cursor::new(Vec::new());
        RgbImage::new(800, 500)
            .write_to(&mut png, ImageFormat::Png)
            .unwrap();
        assert_eq!(normalise(png.get_ref()), Err(PhotoError::NotJpeg));
        let mut broken = jpeg(800, 500);
        broken.truncate(40);
        assert_eq!(normalise(&broken), Err(PhotoError::Unreadable));
        assert_eq!(normalise(&jpeg(200, 120)), Err(PhotoError::Unreadable));
    }

    #[test]
    fn large_photos_are_stored_smaller() {
        assert_eq!(size(&normalise(&jpeg(3000, 2000)).unwrap()), (2000, 1333));
    }
}
