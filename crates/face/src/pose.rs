//! Head pose from BlazeFace's keypoints: what the guidance and the liveness steps read.

use crate::blazeface::{Face, Keypoint};

/// Turn of the head, about -1..1: positive when the person turns to their OWN left
/// (the nose moves towards the image's right in an unmirrored frame), 0 facing the
/// camera. It is where the nose sits between the ears.
pub fn yaw(face: &Face) -> f32 {
    let right_ear = face.keypoint(Keypoint::RightEar).x;
    let left_ear = face.keypoint(Keypoint::LeftEar).x;
    let span = left_ear - right_ear;
    if span.abs() < f32::EPSILON {
        return 0.0;
    }
    2.0 * ((face.keypoint(Keypoint::NoseTip).x - right_ear) / span - 0.5)
}

/// Tilt of the eye line in radians, positive when the person's left eye is lower.
pub fn roll(face: &Face) -> f32 {
    let right = face.keypoint(Keypoint::RightEye);
    let left = face.keypoint(Keypoint::LeftEye);
    (left.y - right.y).atan2(left.x - right.x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blazeface::{Point, Rect};

    fn face(nose_x: f32, left_eye_y: f32) -> Face {
        let p = |x, y| Point { x, y };
        Face {
            score: 1.0,
            bounds: Rect::default(),
            keypoints: [
                p(40.0, 50.0),
                p(60.0, left_eye_y),
                p(nose_x, 60.0),
                p(50.0, 70.0),
                p(30.0, 55.0),
                p(70.0, 55.0),
            ],
        }
    }

    #[test]
    fn yaw_from_known_keypoints() {
        assert_eq!(yaw(&face(50.0, 50.0)), 0.0);
        assert!(
            (yaw(&face(60.0, 50.0)) - 0.5).abs() < 1e-6,
            "towards the image's right: own left"
        );
        assert!((yaw(&face(40.0, 50.0)) + 0.5).abs() < 1e-6);
    }

    #[test]
    fn roll_from_known_keypoints() {
        assert_eq!(roll(&face(50.0, 50.0)), 0.0);
        assert!((roll(&face(50.0, 70.0)) - std::f32::consts::FRAC_PI_4).abs() < 1e-6);
    }
}
