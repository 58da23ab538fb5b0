//! Face descriptors: dlib's ResNet face-recognition model (128 values per face) on a
//! 150×150 chip aligned from BlazeFace's keypoints. Two photos of the same person give
//! near descriptors; the distance between them decides a match.
//!
//! The model (`models/face_recognition_150.onnx`, see `models/README.md`) was trained on
//! dlib's aligned chips, so the chip puts the eyes and the mouth where dlib puts them. The
//! chip is rotated, so `crate::image`'s axis-aligned, nearest-pixel sampling does not fit:
//! it is sampled bilinearly here.

use crate::blazeface::{Face, Keypoint, Point};
use crate::model::{self, FaceError};

/// The model's input: a 150×150 RGB chip, NHWC, values 0..255 (the model subtracts its
/// mean colour and divides by 255 itself).
pub const CHIP_SIDE: usize = 150;
pub const DESCRIPTOR_LEN: usize = 128;

/// Where dlib's 150×150 chips (padding 0.25) put the eye centres and the mouth centre, in
/// chip pixels with pixel centres at +0.5 (BlazeFace's convention; dlib's are at +0). From
/// dlib's mean face shape (`get_face_chip_details` in `dlib/image_transforms/interpolation.h`,
/// dlib 20.0.1): the mean of each eye's six landmarks and of the mouth's twenty, placed at
/// `(0.25 + v) / 1.5 × 150`.
const RIGHT_EYE: Point = Point { x: 48.05, y: 47.10 };
const LEFT_EYE: Point = Point {
    x: 100.98,
    y: 47.10,
};
const MOUTH: Point = Point {
    x: 74.51,
    y: 105.92,
};
/// A face larger than the chip is averaged over up to this many samples a side per chip
/// pixel, rather than aliased.
const MAX_SUBSAMPLES: usize = 4;

/// Below this distance two faces are the same person, accepted without an operator.
///
/// Measured with this model on chips aligned here (`crates/face/tests/embedding.rs` prints
/// them; the fixtures are in `tests/fixtures/`):
///
/// - the same person: `astronaut.png` against itself flipped 0.267, in a 640×480 camera
///   frame (×2.3, shifted) 0.172, darker (×0.45) 0.150, grey 0.321, rotated 15° 0.220;
///   `reference_other.png` against itself flipped 0.147;
/// - different people: `astronaut.png` against `reference_other.png` (two women of
///   different ages) 0.645, 0.652 against the latter flipped; the altered copies of
///   `astronaut.png` against it 0.599–0.681 (the grey copy lowest). An earlier
///   measurement with a near-profile impostor came to 0.58 (`shared/toolchain-notes.md`).
///
/// 0.45 is 0.13 above the worst same-person pair and 0.15 below the nearest different
/// one. A selfie against an identity photo taken years before is further apart than
/// these copies of one photo, so some real matches will land between the thresholds,
/// with an operator: the safe side.
pub const SAME_PERSON_BELOW: f32 = 0.45;
/// From this distance on two faces are different people: dlib's own threshold for this
/// model (with which it reports 99.38 % on the LFW benchmark). Between the two
/// thresholds an operator compares the photos.
pub const DIFFERENT_PERSON_FROM: f32 = 0.6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Match,
    /// Neither clearly the same nor clearly someone else: an operator decides.
    Moderation,
    Mismatch,
}

/// What a distance between two descriptors says. A distance that is not a number (a
/// broken model) goes to an operator.
pub fn verdict(distance: f32) -> Verdict {
    if distance < SAME_PERSON_BELOW {
        Verdict::Match
    } else if distance >= DIFFERENT_PERSON_FROM {
        Verdict::Mismatch
    } else {
        Verdict::Moderation
    }
}

/// 128 values describing a face, not normalised (their length is about 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Descriptor(pub [f32; DESCRIPTOR_LEN]);

impl Descriptor {
    /// The Euclidean distance, the one dlib's thresholds are for.
    pub fn distance(&self, other: &Descriptor) -> f32 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f32>()
            .sqrt()
    }
}

fn midpoint(a: Point, b: Point) -> Point {
    Point {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    }
}

fn distance(a: Point, b: Point) -> f32 {
    (b.x - a.x).hypot(b.y - a.y)
}

/// The similarity transform (rotation, uniform scale, shift) from chip pixels to frame
/// pixels that puts a face's eyes and mouth where dlib's chips have them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alignment {
    /// Frame pixels per chip pixel, rotated: scale × (cos, sin) of the eye line's angle.
    cos: f32,
    sin: f32,
    /// Midway between the eyes' midpoint and the mouth, in the frame; it goes to the same
    /// point of the template.
    centre: Point,
}

impl Alignment {
    pub fn of(face: &Face) -> Self {
        // The person's right eye is on the image's left: right → left runs along +x.
        let right = face.keypoint(Keypoint::RightEye);
        let left = face.keypoint(Keypoint::LeftEye);
        let mouth = face.keypoint(Keypoint::Mouth);
        let eyes = midpoint(right, left);
        // Turning the head shortens the eye distance, nodding the eye-to-mouth distance:
        // their sum changes less than either, so the chip's scale is steadier.
        let template_eyes = midpoint(RIGHT_EYE, LEFT_EYE);
        let scale = (distance(right, left) + distance(eyes, mouth))
            / (distance(RIGHT_EYE, LEFT_EYE) + distance(template_eyes, MOUTH));
        let angle = (left.y - right.y).atan2(left.x - right.x);
        Self {
            cos: scale * angle.cos(),
            sin: scale * angle.sin(),
            centre: midpoint(eyes, mouth),
        }
    }

    /// Frame pixels per chip pixel.
    pub fn scale(&self) -> f32 {
        self.cos.hypot(self.sin)
    }

    /// A chip point (chip pixels, pixel centres at +0.5) in frame pixels.
    pub fn to_frame(&self, x: f32, y: f32) -> Point {
        let centre = midpoint(midpoint(RIGHT_EYE, LEFT_EYE), MOUTH);
        let (u, v) = (x - centre.x, y - centre.y);
        Point {
            x: self.centre.x + self.cos * u - self.sin * v,
            y: self.centre.y + self.sin * u + self.cos * v,
        }
    }
}

/// The aligned chip of an RGBA frame: `CHIP_SIDE`² RGB values in 0..255, NHWC, as the
/// model takes them. Each chip pixel averages n×n bilinear samples, n being the scale
/// rounded; outside the frame is black, as in dlib's chips.
pub fn chip(rgba: &[u8], width: usize, height: usize, alignment: &Alignment) -> Vec<f32> {
    assert_eq!(
        rgba.len(),
        width * height * 4,
        "an RGBA frame of the given size"
    );
    let n = (alignment.scale().round() as usize).clamp(1, MAX_SUBSAMPLES);
    let step = 1.0 / n as f32;
    let mut chip = Vec::with_capacity(CHIP_SIDE * CHIP_SIDE * 3);
    for y in 0..CHIP_SIDE {
        for x in 0..CHIP_SIDE {
            let mut sum = [0.0; 3];
            for sy in 0..n {
                for sx in 0..n {
                    let p = alignment.to_frame(
                        x as f32 + (sx as f32 + 0.5) * step,
                        y as f32 + (sy as f32 + 0.5) * step,
                    );
                    let rgb = bilinear(rgba, width, height, p);
                    (0..3).for_each(|c| sum[c] += rgb[c]);
                }
            }
            chip.extend(sum.map(|s| s / (n * n) as f32));
        }
    }
    chip
}

/// The RGB colour at a frame point (pixel centres at +0.5), interpolated between the four
/// nearest pixels; black outside the frame.
fn bilinear(rgba: &[u8], width: usize, height: usize, p: Point) -> [f32; 3] {
    if p.x < 0.0 || p.y < 0.0 || p.x > width as f32 || p.y > height as f32 {
        return [0.0; 3];
    }
    let (x, y) = (p.x - 0.5, p.y - 0.5);
    let (fx, fy) = (x - x.floor(), y - y.floor());
    // Within half a pixel of the border the border pixel repeats.
    let index = |v: f32, size: usize| (v.max(0.0) as usize).min(size - 1);
    let (x0, x1) = (index(x.floor(), width), index(x.floor() + 1.0, width));
    let (y0, y1) = (index(y.floor(), height), index(y.floor() + 1.0, height));
    let at = |x: usize, y: usize, c: usize| f32::from(rgba[4 * (y * width + x) + c]);
    [0, 1, 2].map(|c| {
        let top = at(x0, y0, c) + (at(x1, y0, c) - at(x0, y0, c)) * fx;
        let bottom = at(x0, y1, c) + (at(x1, y1, c) - at(x0, y1, c)) * fx;
        top + (bottom - top) * fy
    })
}

pub struct Embedder {
    plan: std::sync::Arc<tract_onnx::prelude::TypedRunnableModel>,
}

impl Embedder {
    /// From the bytes of `face_recognition_150.onnx`.
    pub fn from_onnx(bytes: &[u8]) -> Result<Self, FaceError> {
        Ok(Self {
            plan: model::load(bytes, CHIP_SIDE)?,
        })
    }

    /// The descriptor of `face` (a detection in the same RGBA frame).
    pub fn describe(
        &self,
        rgba: &[u8],
        width: usize,
        height: usize,
        face: &Face,
    ) -> Result<Descriptor, FaceError> {
        model::check_frame(rgba, width, height)?;
        self.describe_chip(&chip(rgba, width, height, &Alignment::of(face)))
    }

    /// The descriptor of an aligned chip, as [`chip`] makes it.
    pub fn describe_chip(&self, chip: &[f32]) -> Result<Descriptor, FaceError> {
        let outputs = model::run(&self.plan, chip, CHIP_SIDE)?;
        outputs
            .first()
            .and_then(|values| values.as_slice().try_into().ok())
            .map(Descriptor)
            .ok_or_else(|| FaceError::Run(format!("expected {DESCRIPTOR_LEN} values")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blazeface::Rect;

    /// A face whose keypoints are the template's, turned by `angle`, scaled by `scale` and
    /// moved to `at`.
    fn face(angle: f32, scale: f32, at: Point) -> Face {
        let place = |p: Point| {
            let (u, v) = (p.x - 75.0, p.y - 75.0);
            let (sin, cos) = angle.sin_cos();
            Point {
                x: at.x + scale * (cos * u - sin * v),
                y: at.y + scale * (sin * u + cos * v),
            }
        };
        let mut keypoints = [Point::default(); 6];
        keypoints[Keypoint::RightEye as usize] = place(RIGHT_EYE);
        keypoints[Keypoint::LeftEye as usize] = place(LEFT_EYE);
        keypoints[Keypoint::Mouth as usize] = place(MOUTH);
        Face {
            score: 1.0,
            bounds: Rect::default(),
            keypoints,
        }
    }

    fn assert_near(a: Point, b: Point) {
        assert!(distance(a, b) < 1e-3, "{a:?} vs {b:?}");
    }

    #[test]
    fn a_tilted_face_maps_its_eyes_and_mouth_to_the_template() {
        let at = Point { x: 300.0, y: 200.0 };
        for (angle, scale) in [(0.0, 1.0), (0.3, 2.0), (-0.5, 0.7)] {
            let face = face(angle, scale, at);
            let alignment = Alignment::of(&face);
            assert!((alignment.scale() - scale).abs() < 1e-5);
            for (template, keypoint) in [
                (RIGHT_EYE, Keypoint::RightEye),
                (LEFT_EYE, Keypoint::LeftEye),
                (MOUTH, Keypoint::Mouth),
            ] {
                assert_near(
                    alignment.to_frame(template.x, template.y),
                    face.keypoint(keypoint),
                );
            }
        }
    }

    #[test]
    fn the_chip_copies_an_upright_face_of_chip_size_and_is_black_outside_the_frame() {
        // A 150×150 frame whose face sits exactly where the template puts it: the chip is
        // the frame itself (a horizontal ramp); with the face at the frame's left edge, the
        // chip's left half is beyond the frame, black.
        let ramp: Vec<u8> = (0..CHIP_SIDE * CHIP_SIDE)
            .flat_map(|i| [(i % CHIP_SIDE) as u8, 10, 200, 255])
            .collect();
        let template = face(0.0, 1.0, Point { x: 75.0, y: 75.0 });
        let chip_of = |alignment| chip(&ramp, CHIP_SIDE, CHIP_SIDE, &alignment);
        let same = chip_of(Alignment::of(&template));
        for (i, rgb) in same.chunks_exact(3).enumerate() {
            let expected = [(i % CHIP_SIDE) as f32, 10.0, 200.0];
            assert!(
                rgb.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-3),
                "pixel {i}: {rgb:?}"
            );
        }
        let shifted = chip_of(Alignment::of(&face(0.0, 1.0, Point { x: 0.0, y: 75.0 })));
        let pixel = |x: usize| &shifted[3 * (70 * CHIP_SIDE + x)..][..3];
        assert_eq!(pixel(10), &[0.0; 3]);
        assert_eq!(pixel(CHIP_SIDE - 1)[1], 10.0);
    }

    #[test]
    fn a_large_face_is_averaged_over_several_samples() {
        // Stripes one pixel wide, four times the chip's scale: every chip pixel sees two of
        // each colour and is their mean, not whichever stripe the centre hits.
        let (width, height) = (600, 600);
        let stripes: Vec<u8> = (0..width * height)
            .flat_map(|i| {
                let v = if i % 2 == 0 { 0 } else { 200 };
                [v, v, v, 255]
            })
            .collect();
        let alignment = Alignment::of(&face(0.0, 4.0, Point { x: 300.0, y: 300.0 }));
        let chip = chip(&stripes, width, height, &alignment);
        assert!(chip.iter().all(|&v| (v - 100.0).abs() < 1e-3));
    }

    #[test]
    fn distances_are_euclidean() {
        let a = Descriptor([0.0; DESCRIPTOR_LEN]);
        let mut b = a;
        b.0[0] = 0.3;
        b.0[127] = 0.4;
        assert!((a.distance(&b) - 0.5).abs() < 1e-6);
        assert_eq!(b.distance(&b), 0.0);
    }

    #[test]
    fn verdict_bands() {
        assert_eq!(verdict(0.0), Verdict::Match);
        assert_eq!(verdict(SAME_PERSON_BELOW - 0.01), Verdict::Match);
        assert_eq!(verdict(SAME_PERSON_BELOW), Verdict::Moderation);
        assert_eq!(verdict(DIFFERENT_PERSON_FROM - 0.01), Verdict::Moderation);
        assert_eq!(verdict(DIFFERENT_PERSON_FROM), Verdict::Mismatch);
        assert_eq!(verdict(1.5), Verdict::Mismatch);
        assert_eq!(verdict(f32::NAN), Verdict::Moderation);
    }
}
