//! BlazeFace on the fixture photo and on rendered head turns.

use qoltanba_face::{pose, Detector, Keypoint};
use qoltanba_fixtures::{empty_frame, render, Image, Pose};
use tract_onnx::prelude::Framework;

fn model_bytes(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
    std::fs::read(format!("{path}{name}")).expect("the model is in models/")
}

fn detector() -> Detector {
    Detector::from_onnx(&model_bytes("blazeface_front_128.onnx"))
        .expect("the model loads after the patch")
}

fn photo() -> Image {
    Image::load(&qoltanba_fixtures::photo_path()).unwrap()
}

fn far_detector() -> Detector {
    Detector::far_from_onnx(&model_bytes("blazeface_back_256.onnx"))
        .expect("the far model loads after the patch")
}

#[test]
fn both_models_need_the_constant_of_shape_patch() {
    for (file, nodes) in [
        ("blazeface_front_128.onnx", 11),
        ("blazeface_back_256.onnx", 2),
    ] {
        let bytes = model_bytes(file);
        let mut proto = tract_onnx::onnx()
            .proto_model_for_read(&mut bytes.as_slice())
            .unwrap();
        assert_eq!(
            qoltanba_face::model::add_missing_constant_values(&mut proto),
            nodes,
            "{file}"
        );
        assert_eq!(
            qoltanba_face::model::add_missing_constant_values(&mut proto),
            0,
            "idempotent"
        );
    }
}

#[test]
fn each_model_file_is_refused_as_the_other() {
    // `detect` reads the outputs by position with the anchors of the model it was
    // made for; tract refuses a swapped file at load instead of letting that happen.
    assert!(Detector::far_from_onnx(&model_bytes("blazeface_front_128.onnx")).is_err());
    assert!(Detector::from_onnx(&model_bytes("blazeface_back_256.onnx")).is_err());
}

/// The fixture face at 0.3 of its usual size: about 53 px wide in the 640×480 frame.
/// The short-range model loses it below about 78 px (scale 0.44), the far model below
/// about 14 px (scale 0.08).
const FAR_AWAY: Pose = Pose {
    scale: 0.3,
    ..Pose::FRONTAL
};

#[test]
fn a_face_too_small_for_the_short_range_model_is_found_by_the_far_one() {
    let frame = render(&photo(), FAR_AWAY);
    let pixels = frame.rgba();
    assert!(detector()
        .detect(&pixels, frame.width, frame.height)
        .unwrap()
        .is_empty());
    let faces = far_detector()
        .detect(&pixels, frame.width, frame.height)
        .unwrap();
    assert_eq!(faces.len(), 1, "{faces:?}");
    let face = &faces[0];
    assert!(
        (40.0..75.0).contains(&face.bounds.width),
        "{:?}",
        face.bounds
    );
    // The fixtures put the nose tip at (320, 230) at any scale.
    let nose = face.keypoint(Keypoint::NoseTip);
    assert!(
        (nose.x - 320.0).abs() < 8.0 && (nose.y - 230.0).abs() < 8.0,
        "{nose:?}"
    );
}

#[test]
fn the_far_model_finds_the_face_at_the_usual_distance_and_nothing_on_a_wall() {
    let far = far_detector();
    let frame = render(&photo(), Pose::FRONTAL);
    let faces = far
        .detect(&frame.rgba(), frame.width, frame.height)
        .unwrap();
    assert_eq!(faces.len(), 1, "{faces:?}");
    let nose = faces[0].keypoint(Keypoint::NoseTip);
    assert!(
        (nose.x - 320.0).abs() < 8.0 && (nose.y - 230.0).abs() < 8.0,
        "{nose:?}"
    );
    for seed in 0..5 {
        let wall = empty_frame(seed);
        assert!(far
            .detect(&wall.rgba(), wall.width, wall.height)
            .unwrap()
            .is_empty());
    }
}

#[test]
fn a_face_too_far_for_the_short_range_model_is_told_to_come_closer() {
    use qoltanba_face::guidance::Guidance;
    let mut tracker = tracker();
    let frame = render(&photo(), FAR_AWAY);
    let report = tracker
        .frame(&frame.rgba(), frame.width, frame.height, 0.0)
        .unwrap();
    assert_eq!(report.faces.len(), 1);
    assert_eq!(report.guidance, Guidance::MoveCloser);
    let wall = empty_frame(3);
    let report = tracker
        .frame(&wall.rgba(), wall.width, wall.height, 66.0)
        .unwrap();
    assert_eq!(report.guidance, Guidance::NoFace);
    // In an empty room the far model rests a while: someone far away who walks in is
    // seen on the first frame after that, not on the very next one.
    let mut far_away = |at_ms| {
        tracker
            .frame(&frame.rgba(), frame.width, frame.height, at_ms)
            .unwrap()
            .guidance
    };
    assert_eq!(far_away(100.0), Guidance::NoFace);
    assert_eq!(
        far_away(66.0 + qoltanba_face::tracker::EMPTY_ROOM_FAR_MS),
        Guidance::MoveCloser
    );
}

#[test]
fn finds_the_one_face_in_the_fixture_photo_where_it_is() {
    let photo = photo();
    let faces = detector()
        .detect(&photo.rgba(), photo.width, photo.height)
        .unwrap();
    assert_eq!(faces.len(), 1, "{faces:?}");
    let face = &faces[0];
    assert!(face.score > 0.9);
    // The face in astronaut.png: about x 165–285, y 60–195; nose tip near (222, 130).
    let c = face.bounds.center();
    assert!(
        (190.0..255.0).contains(&c.x) && (95.0..160.0).contains(&c.y),
        "{:?}",
        face.bounds
    );
    assert!(
        (90.0..160.0).contains(&face.bounds.width),
        "{:?}",
        face.bounds
    );
    let nose = face.keypoint(Keypoint::NoseTip);
    assert!(
        (nose.x - 222.0).abs() < 15.0 && (nose.y - 130.0).abs() < 15.0,
        "{nose:?}"
    );
    let (right_eye, left_eye) = (
        face.keypoint(Keypoint::RightEye),
        face.keypoint(Keypoint::LeftEye),
    );
    assert!(
        right_eye.x < nose.x && nose.x < left_eye.x,
        "the person's right eye is on the image's left"
    );
    assert!(pose::yaw(face).abs() < 0.2, "frontal: {}", pose::yaw(face));
}

#[test]
fn an_empty_wall_has_no_face() {
    let frame = empty_frame(7);
    assert!(detector()
        .detect(&frame.rgba(), frame.width, frame.height)
        .unwrap()
        .is_empty());
}

#[test]
fn turns_move_the_yaw_estimate_the_right_way() {
    let detector = detector();
    let photo = photo();
    let yaw_at = |yaw: f32| {
        let frame = render(
            &photo,
            Pose {
                yaw,
                ..Pose::FRONTAL
            },
        );
        let faces = detector
            .detect(&frame.rgba(), frame.width, frame.height)
            .unwrap();
        assert_eq!(faces.len(), 1, "yaw {yaw}");
        pose::yaw(&faces[0])
    };
    let (frontal, left, right) = (yaw_at(0.0), yaw_at(1.0), yaw_at(-1.0));
    assert!(frontal.abs() < 0.2, "frontal {frontal}");
    assert!(
        left > frontal + 0.2,
        "turned to the user's left: {left} vs {frontal}"
    );
    assert!(
        right < frontal - 0.2,
        "turned to the user's right: {right} vs {frontal}"
    );
}

#[test]
fn frames_of_the_wrong_size_are_refused() {
    assert!(detector().detect(&[0; 10], 4, 4).is_err());
}

/// The worker's steps: both detectors, the mesh, the guidance or liveness check.
fn tracker() -> qoltanba_face::tracker::Tracker {
    qoltanba_face::tracker::Tracker::new(
        &model_bytes("blazeface_front_128.onnx"),
        &model_bytes("blazeface_back_256.onnx"),
        &model_bytes("face_mesh_192.onnx"),
    )
    .unwrap()
}

/// The worker's steps on rendered head movements.
fn liveness_of(poses: &[(usize, Pose)]) -> qoltanba_face::liveness::Progress {
    use qoltanba_face::liveness::{Action, Progress};
    let mut tracker = tracker();
    tracker.follow(
        vec![Action::TurnLeft, Action::TurnRight, Action::MoveCloser],
        20_000.0,
    );
    let photo = photo();
    let frames = poses
        .iter()
        .flat_map(|&(n, pose)| std::iter::repeat_n(pose, n));
    let mut progress = Progress::Calibrating;
    for (i, pose) in frames.enumerate() {
        let frame = render(&photo, pose);
        let report = tracker
            .frame(&frame.rgba(), frame.width, frame.height, i as f64 * 66.0)
            .unwrap();
        progress = report.liveness.expect("a challenge is followed");
    }
    progress
}

#[test]
fn rendered_movements_in_the_challenged_order_pass_liveness_and_a_still_photo_does_not() {
    use qoltanba_face::liveness::Progress;
    let f = Pose::FRONTAL;
    let left = Pose { yaw: 1.0, ..f };
    let right = Pose { yaw: -1.0, ..f };
    let closer = Pose { scale: 1.6, ..f };
    let moving = [(6, f), (4, left), (4, f), (4, right), (4, f), (4, closer)];
    assert_eq!(liveness_of(&moving), Progress::Passed);
    assert!(matches!(
        liveness_of(&[(30, f)]),
        Progress::Doing { index: 0, .. }
    ));
}

#[test]
fn the_worker_reads_the_eyes_only_in_a_challenge_with_a_blink() {
    use qoltanba_face::liveness::Action::{Blink, MoveCloser, TurnLeft, TurnRight};
    let frame = render(&photo(), Pose::FRONTAL);
    let mut tracker = tracker();
    let eyes_read = |tracker: &mut qoltanba_face::tracker::Tracker| {
        tracker
            .frame(&frame.rgba(), frame.width, frame.height, 0.0)
            .unwrap()
            .measurement
            .expect("one face")
            .eye_openness
            .is_some()
    };
    tracker.guide();
    assert!(!eyes_read(&mut tracker), "the selfie guidance");
    tracker.follow(vec![TurnLeft, TurnRight, MoveCloser], 20_000.0);
    assert!(!eyes_read(&mut tracker), "a challenge without a blink");
    tracker.follow(vec![Blink, TurnLeft, TurnRight], 20_000.0);
    assert!(eyes_read(&mut tracker), "a challenge with a blink");
}

#[test]
fn face_mesh_finds_open_eyes_and_the_nose_on_the_fixture_face() {
    use qoltanba_face::mesh::{Eye, Mesh, LANDMARKS};
    let mesh = Mesh::from_onnx(&model_bytes("face_mesh_192.onnx"))
        .expect("the converted mesh loads in tract");
    let photo = photo();
    let frame = photo.rgba();
    let face = detector()
        .detect(&frame, photo.width, photo.height)
        .unwrap()
        .remove(0);
    let landmarks = mesh
        .landmarks(&frame, photo.width, photo.height, &face)
        .unwrap();
    assert_eq!(landmarks.points.len(), LANDMARKS);
    assert!(landmarks.presence > 0.9, "{}", landmarks.presence);
    // Landmark 1 is the nose tip; it agrees with BlazeFace's.
    let nose = landmarks.points[1];
    let blaze_nose = face.keypoint(Keypoint::NoseTip);
    assert!(
        (nose[0] - blaze_nose.x).abs() < 12.0 && (nose[1] - blaze_nose.y).abs() < 12.0,
        "{nose:?} vs {blaze_nose:?}"
    );
    for eye in [Eye::Right, Eye::Left] {
        let ear = landmarks.eye_aspect_ratio(eye);
        assert!((0.15..0.5).contains(&ear), "{eye:?} eye looks open: {ear}");
    }
}

/// The guidance for rendered frames, as the selfie screen would show it.
fn guidance_for(poses: &[Pose], darken: bool) -> Vec<qoltanba_face::guidance::Guidance> {
    use qoltanba_face::guidance::{face_luma, Guide, LIMITS};
    let detector = detector();
    let photo = photo();
    let mut guide = Guide::new(LIMITS);
    poses
        .iter()
        .zip(0..)
        .map(|(&pose, i)| {
            let mut frame = render(&photo, pose).rgba();
            if darken {
                frame.iter_mut().for_each(|v| *v /= 5);
            }
            let faces = detector.detect(&frame, 640, 480).unwrap();
            let luma = faces
                .first()
                .map_or(0.0, |f| face_luma(&frame, 640, 480, f));
            guide.observe(&faces, 640, 480, luma, f64::from(i) * 66.0)
        })
        .collect()
}

#[test]
fn guidance_follows_the_face_and_a_still_centred_face_is_ready() {
    use qoltanba_face::guidance::Guidance::*;
    let f = Pose::FRONTAL;
    let last = |poses: &[Pose], darken| *guidance_for(poses, darken).last().unwrap();
    assert_eq!(last(&[f, f, f], false), Ready);
    assert_eq!(
        guidance_for(&[f], false),
        [HoldStill],
        "one frame cannot show stillness"
    );
    assert_eq!(last(&[Pose { scale: 0.6, ..f }], false), MoveCloser);
    assert_eq!(last(&[Pose { scale: 1.9, ..f }], false), MoveBack);
    assert_eq!(last(&[Pose { dx: 170.0, ..f }], false), CenterFace);
    assert_eq!(last(&[Pose { yaw: 1.0, ..f }], false), FaceTheCamera);
    assert_eq!(last(&[f, f], true), TooDark);
    let wall = qoltanba_fixtures::empty_frame(3);
    let mut guide = qoltanba_face::guidance::Guide::new(qoltanba_face::guidance::LIMITS);
    let faces = detector().detect(&wall.rgba(), 640, 480).unwrap();
    assert_eq!(guide.observe(&faces, 640, 480, 0.0, 0.0), NoFace);
}
