//! What the selfie screen tells the user, frame by frame, and when it may take the
//! picture by itself. Every threshold is here, in one place.

use serde::{Deserialize, Serialize};

use crate::blazeface::Face;
use crate::pose;

/// The one instruction a frame calls for, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guidance {
    NoFace,
    SeveralFaces,
    TooDark,
    MoveCloser,
    MoveBack,
    CenterFace,
    FaceTheCamera,
    HoldStill,
    /// Centred, sized, frontal and still: the picture can be taken.
    Ready,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Face width as a share of the frame width: smaller is too far.
    pub min_width: f32,
    /// Larger is too close (the head would be cut off).
    pub max_width: f32,
    /// Largest distance of the face centre from the frame centre, as a share of the
    /// frame width.
    pub max_offset: f32,
    /// Largest |yaw| (see `pose::yaw`) and |roll| (radians) for a frontal face.
    pub max_yaw: f32,
    pub max_roll: f32,
    /// Mean luma (0–255) of the face box under which the picture is too dark.
    pub min_luma: f32,
    /// Largest movement of the face centre between frames, as a share of the face
    /// width, that still counts as still. Per frame, not per second: what it must let
    /// through is the detector's jitter from one frame to the next, which a faster
    /// camera does not make smaller.
    pub max_motion: f32,
    /// How long (ms) the face must stay still and ready before the automatic capture:
    /// in time, so that 15 and 30 fps cameras wait alike.
    pub still_ms: f64,
}

/// Calibrated on the fixture videos: the frontal face there is ~0.30 of the frame
/// width, 1.9× closer ~0.56, 0.6× ~0.17. Real cameras need a check with real people.
pub const LIMITS: Limits = Limits {
    min_width: 0.22,
    max_width: 0.5,
    max_offset: 0.12,
    max_yaw: 0.2,
    max_roll: 0.2,
    min_luma: 60.0,
    max_motion: 0.03,
    // The 8th ready frame at 15 fps (467 ms after the first), the 15th at 30.
    still_ms: 450.0,
};

/// Mean luma of the face box in an RGBA frame.
pub fn face_luma(rgba: &[u8], width: usize, height: usize, face: &Face) -> f32 {
    let b = face.bounds;
    let clamp = |v: f32, max: usize| (v.max(0.0) as usize).min(max);
    let (x0, x1) = (clamp(b.x, width), clamp(b.x + b.width, width));
    let (y0, y1) = (clamp(b.y, height), clamp(b.y + b.height, height));
    let mut sum = 0.0;
    let mut count = 0usize;
    for y in (y0..y1).step_by(2) {
        for x in (x0..x1).step_by(2) {
            let i = 4 * (y * width + x);
            sum += 0.299 * f32::from(rgba[i])
                + 0.587 * f32::from(rgba[i + 1])
                + 0.114 * f32::from(rgba[i + 2]);
            count += 1;
        }
    }
    if count == 0 {
        0.0
    } else {
        sum / count as f32
    }
}

/// Follows frames and says what the user should do; times the stillness for the
/// automatic capture.
#[derive(Debug, Clone)]
pub struct Guide {
    limits: Limits,
    last_centre: Option<(f32, f32)>,
    /// The first frame (ms) of the current run of ready frames, and the latest.
    ready: Option<(f64, f64)>,
}

impl Guide {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            last_centre: None,
            ready: None,
        }
    }

    /// The instruction for a `width`×`height` frame taken at `at_ms`, with these faces
    /// and face luma.
    pub fn observe(
        &mut self,
        faces: &[Face],
        width: usize,
        height: usize,
        luma: f32,
        at_ms: f64,
    ) -> Guidance {
        let l = self.limits;
        let guidance = match faces {
            [] => Guidance::NoFace,
            [face] => {
                let (w, h) = (width as f32, height as f32);
                let share = face.bounds.width / w;
                let c = face.bounds.center();
                let offset = (c.x - w / 2.0).hypot(c.y - h / 2.0) / w;
                let motion = self.last_centre.map_or(f32::INFINITY, |(x, y)| {
                    ((c.x - x).powi(2) + (c.y - y).powi(2)).sqrt() / face.bounds.width
                });
                self.last_centre = Some((c.x, c.y));
                if luma < l.min_luma {
                    Guidance::TooDark
                } else if share < l.min_width {
                    Guidance::MoveCloser
                } else if share > l.max_width {
                    Guidance::MoveBack
                } else if offset > l.max_offset {
                    Guidance::CenterFace
                } else if pose::yaw(face).abs() > l.max_yaw || pose::roll(face).abs() > l.max_roll {
                    Guidance::FaceTheCamera
                } else if motion > l.max_motion {
                    Guidance::HoldStill
                } else {
                    Guidance::Ready
                }
            }
            _ => Guidance::SeveralFaces,
        };
        if faces.len() != 1 {
            self.last_centre = None;
        }
        self.ready = match self.ready {
            _ if guidance != Guidance::Ready => None,
            Some((since, _)) => Some((since, at_ms)),
            None => Some((at_ms, at_ms)),
        };
        guidance
    }

    /// True once the face has been ready long enough for the automatic capture.
    pub fn should_capture(&self) -> bool {
        self.ready
            .is_some_and(|(since, last)| last - since >= self.limits.still_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blazeface::{Point, Rect};

    fn face(x: f32) -> Face {
        let p = |x, y| Point { x, y };
        Face {
            score: 1.0,
            bounds: Rect {
                x,
                y: 140.0,
                width: 200.0,
                height: 200.0,
            },
            keypoints: [
                p(x + 70.0, 200.0),
                p(x + 130.0, 200.0),
                p(x + 100.0, 240.0),
                p(x + 100.0, 280.0),
                p(x + 10.0, 220.0),
                p(x + 190.0, 220.0),
            ],
        }
    }

    #[test]
    fn a_face_held_still_long_enough_is_captured_and_movement_restarts_the_count() {
        for fps in [15.0, 30.0] {
            let mut guide = Guide::new(LIMITS);
            let at = |i: usize| i as f64 * 1000.0 / fps;
            // The first frame has nothing to compare with; the face is ready from the second.
            assert_eq!(
                guide.observe(&[face(220.0)], 640, 480, 150.0, at(0)),
                Guidance::HoldStill
            );
            let mut i = 1;
            while !guide.should_capture() {
                assert_eq!(
                    guide.observe(&[face(220.0)], 640, 480, 150.0, at(i)),
                    Guidance::Ready
                );
                i += 1;
            }
            let waited = at(i - 1) - at(1);
            assert!(
                (LIMITS.still_ms..LIMITS.still_ms + 1000.0 / fps).contains(&waited),
                "{fps} fps: captured after {waited} ms"
            );
            assert_eq!(
                guide.observe(&[face(240.0)], 640, 480, 150.0, at(i)),
                Guidance::HoldStill
            );
            assert!(!guide.should_capture());
            assert_eq!(
                guide.observe(&[face(220.0), face(0.0)], 640, 480, 150.0, at(i + 1)),
                Guidance::SeveralFaces
            );
        }
    }
}
