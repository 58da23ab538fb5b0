//! Fitting a camera frame (or a square crop of it) into a model's square input without
//! distorting it.

/// How a frame was placed in the square input: scaled by `scale`, then offset by `pad`
/// (letterbox bars, or a negative offset for a crop). Undoing it maps model outputs
/// back to frame pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Letterbox {
    pub scale: f32,
    pub pad_x: f32,
    pub pad_y: f32,
}

impl Letterbox {
    pub fn fit(width: usize, height: usize, side: usize) -> Self {
        let scale = side as f32 / width.max(height) as f32;
        Self {
            scale,
            pad_x: (side as f32 - width as f32 * scale) / 2.0,
            pad_y: (side as f32 - height as f32 * scale) / 2.0,
        }
    }

    /// A square of `side_px` frame pixels with its top-left corner at (`x`, `y`).
    pub fn crop(x: f32, y: f32, side_px: f32, side: usize) -> Self {
        let scale = side as f32 / side_px;
        Self {
            scale,
            pad_x: -x * scale,
            pad_y: -y * scale,
        }
    }

    /// From input pixels back to frame pixels.
    pub fn to_frame(&self, x: f32, y: f32) -> (f32, f32) {
        ((x - self.pad_x) / self.scale, (y - self.pad_y) / self.scale)
    }
}

/// The value range a model expects its pixels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// BlazeFace.
    MinusOneToOne,
    /// Face Mesh.
    ZeroToOne,
}

/// An RGBA frame (as a canvas gives it) letterboxed into a `side`×`side` RGB tensor
/// scaled to [-1, 1], NHWC, as BlazeFace expects. Bars are black.
pub fn to_input(rgba: &[u8], width: usize, height: usize, side: usize) -> (Vec<f32>, Letterbox) {
    let fit = Letterbox::fit(width, height, side);
    (
        sample(rgba, width, height, fit, side, Range::MinusOneToOne),
        fit,
    )
}

/// The part of an RGBA frame that `fit` puts into a `side`×`side` square, as an NHWC
/// RGB tensor in `range`; outside the frame is black.
pub fn sample(
    rgba: &[u8],
    width: usize,
    height: usize,
    fit: Letterbox,
    side: usize,
    range: Range,
) -> Vec<f32> {
    assert_eq!(
        rgba.len(),
        width * height * 4,
        "an RGBA frame of the given size"
    );
    let (scale, offset) = match range {
        Range::MinusOneToOne => (127.5, -1.0),
        Range::ZeroToOne => (255.0, 0.0),
    };
    let mut input = vec![offset; side * side * 3];
    for y in 0..side {
        for x in 0..side {
            // Nearest sample at the pixel's centre: the page already downscales frames,
            // and the models are robust to it.
            let (fx, fy) = fit.to_frame(x as f32 + 0.5, y as f32 + 0.5);
            if fx < 0.0 || fy < 0.0 || fx >= width as f32 || fy >= height as f32 {
                continue;
            }
            let source = 4 * (fy as usize * width + fx as usize);
            let target = 3 * (y * side + x);
            for c in 0..3 {
                input[target + c] = f32::from(rgba[source + c]) / scale + offset;
            }
        }
    }
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_frame_gets_bars_above_and_below() {
        let fit = Letterbox::fit(640, 480, 128);
        assert_eq!(fit.scale, 0.2);
        assert_eq!((fit.pad_x, fit.pad_y), (0.0, 16.0));
        assert_eq!(fit.to_frame(64.0, 64.0), (320.0, 240.0));
    }

    #[test]
    fn pixels_are_scaled_to_minus_one_one_and_bars_are_black() {
        let rgba: Vec<u8> = [255u8, 0, 127, 255].repeat(4 * 2);
        let (input, _) = to_input(&rgba, 4, 2, 4);
        assert_eq!(&input[..3], &[-1.0, -1.0, -1.0], "top bar");
        let middle = 3 * (4 + 1);
        assert_eq!(input[middle], 1.0);
        assert_eq!(input[middle + 1], -1.0);
        assert!(input[middle + 2].abs() < 0.01);
    }
}
