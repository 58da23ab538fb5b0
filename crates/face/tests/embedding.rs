//! Face descriptors on the fixture photos: the same face in other conditions stays close,
//! another person's face is far. The distances are printed (`--nocapture` shows them).

use std::sync::OnceLock;
use std::time::Instant;

use qoltanba_face::embedding::{
    verdict, CHIP_SIDE, DESCRIPTOR_LEN, DIFFERENT_PERSON_FROM, SAME_PERSON_BELOW,
};
use qoltanba_face::{Descriptor, Detector, Embedder, Verdict};
use qoltanba_fixtures::{render, Image, Pose};

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");

/// Both models, loaded once for all tests of this file (the embedder takes a while).
fn models() -> &'static (Detector, Embedder) {
    static MODELS_LOADED: OnceLock<(Detector, Embedder)> = OnceLock::new();
    MODELS_LOADED.get_or_init(|| {
        let read = |name: &str| std::fs::read(format!("{MODELS}{name}")).expect(name);
        let detector = Detector::from_onnx(&read("blazeface_front_128.onnx")).unwrap();
        let bytes = read("face_recognition_150.onnx");
        let start = Instant::now();
        let embedder = Embedder::from_onnx(&bytes).expect("the converted model loads in tract");
        eprintln!(
            "face_recognition_150.onnx ({} bytes) loaded in {:?}",
            bytes.len(),
            start.elapsed()
        );
        (detector, embedder)
    })
}

/// The descriptor of the one face in `image`.
fn describe(image: &Image) -> Descriptor {
    let (detector, embedder) = models();
    let frame = image.rgba();
    let faces = detector.detect(&frame, image.width, image.height).unwrap();
    assert_eq!(faces.len(), 1, "one face: {faces:?}");
    embedder
        .describe(&frame, image.width, image.height, &faces[0])
        .unwrap()
}

fn with_pixels(image: &Image, f: impl Fn([u8; 3]) -> [u8; 3]) -> Image {
    let rgb = image
        .rgb
        .chunks_exact(3)
        .flat_map(|p| f([p[0], p[1], p[2]]))
        .collect();
    Image { rgb, ..*image }
}

fn flipped(image: &Image) -> Image {
    let rgb = image
        .rgb
        .chunks_exact(3 * image.width)
        .flat_map(|row| row.chunks_exact(3).rev().flatten().copied())
        .collect();
    Image { rgb, ..*image }
}

/// Turned by `degrees` around the centre (nearest pixel; the corners become black).
fn rotated(image: &Image, degrees: f32) -> Image {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (image.width as f32 / 2.0, image.height as f32 / 2.0);
    let mut rgb = Vec::with_capacity(image.rgb.len());
    for y in 0..image.height {
        for x in 0..image.width {
            let (u, v) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let (sx, sy) = (cx + cos * u + sin * v, cy - sin * u + cos * v);
            let inside =
                (0.0..image.width as f32).contains(&sx) && (0.0..image.height as f32).contains(&sy);
            rgb.extend(if inside {
                let i = 3 * (sy as usize * image.width + sx as usize);
                [image.rgb[i], image.rgb[i + 1], image.rgb[i + 2]]
            } else {
                [0; 3]
            });
        }
    }
    Image { rgb, ..*image }
}

/// The photo and what a camera or a scan might make of it, by name.
fn variants(photo: &Image) -> Vec<(&'static str, Image)> {
    let camera_frame = Pose {
        scale: 1.2,
        dx: 40.0,
        dy: -25.0,
        ..Pose::FRONTAL
    };
    vec![
        ("flipped", flipped(photo)),
        (
            "in a 640×480 frame, ×2.3, shifted",
            render(photo, camera_frame),
        ),
        (
            "darker (×0.45)",
            with_pixels(photo, |p| p.map(|v| (f32::from(v) * 0.45) as u8)),
        ),
        (
            "grey",
            with_pixels(photo, |p| {
                let [r, g, b] = p.map(f32::from);
                [(0.299 * r + 0.587 * g + 0.114 * b) as u8; 3]
            }),
        ),
        ("rotated 15°", rotated(photo, 15.0)),
    ]
}

fn applicant() -> Image {
    Image::load(&qoltanba_fixtures::photo_path()).unwrap()
}

fn someone_else() -> Image {
    Image::load(&qoltanba_fixtures::reference_other_path()).unwrap()
}

#[test]
fn descriptors_are_128_finite_values_as_onnxruntime_computes_them() {
    // The test pattern of `models/convert_face_recognition.py` and what onnxruntime gave
    // for it there.
    let pattern: Vec<f32> = (0..CHIP_SIDE * CHIP_SIDE * 3)
        .map(|i| {
            let (c, x, y) = (i % 3, i / 3 % CHIP_SIDE, i / 3 / CHIP_SIDE);
            ((7 * x + 13 * y + 101 * c) % 256) as f32
        })
        .collect();
    let expected_first = [-0.099_305_41, 0.118_433_81, 0.074_538_01, -0.015_199_688];
    let descriptor = models().1.describe_chip(&pattern).unwrap();
    let norm = |d: &Descriptor| d.0.iter().map(|v| v * v).sum::<f32>().sqrt();
    let difference = descriptor.0[..4]
        .iter()
        .zip(expected_first)
        .map(|(got, expected)| (got - expected).abs())
        .fold(0.0, f32::max);
    eprintln!("tract vs onnxruntime on the test pattern: {difference:e}");
    assert!(difference < 1e-4, "{:?}", &descriptor.0[..4]);
    assert!(
        (norm(&descriptor) - 1.300_987).abs() < 1e-4,
        "{descriptor:?}"
    );

    let start = Instant::now();
    let face = describe(&applicant());
    eprintln!("detection, chip and descriptor in {:?}", start.elapsed());
    assert_eq!(face.0.len(), DESCRIPTOR_LEN);
    assert!(face.0.iter().all(|v| v.is_finite()));
    assert!((0.5..2.0).contains(&norm(&face)), "norm {}", norm(&face));
    assert!(models().1.describe_chip(&pattern[1..]).is_err());
}

#[test]
fn the_same_face_in_other_conditions_matches() {
    let photo = applicant();
    let original = describe(&photo);
    for (name, variant) in variants(&photo) {
        let distance = original.distance(&describe(&variant));
        eprintln!("applicant vs applicant {name}: {distance:.3}");
        assert!(distance < SAME_PERSON_BELOW, "{name}: {distance}");
        assert_eq!(verdict(distance), Verdict::Match);
    }
    // The other photo's person against herself too.
    let other = someone_else();
    let distance = describe(&other).distance(&describe(&flipped(&other)));
    eprintln!("other vs other flipped: {distance:.3}");
    assert!(distance < SAME_PERSON_BELOW, "{distance}");
}

#[test]
fn another_person_does_not_match() {
    let applicant = applicant();
    let other = someone_else();
    let others = [
        ("other", describe(&other)),
        ("other flipped", describe(&flipped(&other))),
    ];
    let photo = describe(&applicant);
    for (name, reference) in &others {
        let distance = photo.distance(reference);
        eprintln!("applicant vs {name}: {distance:.3}");
        assert!(distance >= DIFFERENT_PERSON_FROM, "{name}: {distance}");
        assert_eq!(verdict(distance), Verdict::Mismatch);
    }
    // Altered copies of the photo come near the mismatch threshold (the grey one to
    // 0.599): never a match, at worst an operator looks.
    for (variant, image) in variants(&applicant) {
        let descriptor = describe(&image);
        for (name, reference) in &others {
            let distance = descriptor.distance(reference);
            eprintln!("applicant {variant} vs {name}: {distance:.3}");
            assert!(
                distance >= SAME_PERSON_BELOW,
                "{variant} vs {name}: {distance}"
            );
        }
    }
}
