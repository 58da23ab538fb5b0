//! The detector compiled to WebAssembly and run in headless Chromium, as the face worker
//! will run it: same model, same photo, same answers as natively.
#![cfg(target_arch = "wasm32")]

use qoltanba_face::{pose, Detector, Keypoint};
use qoltanba_fixtures::Image;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const MODEL: &[u8] = include_bytes!("../../../models/blazeface_front_128.onnx");
const PHOTO: &[u8] = include_bytes!("../../../tests/fixtures/astronaut.png");

#[wasm_bindgen_test]
fn blazeface_finds_the_fixture_face_in_the_browser() {
    let detector = Detector::from_onnx(MODEL).expect("the model loads in wasm");
    let photo = Image::decode(PHOTO).unwrap();
    let rgba = photo.rgba();

    let started = js_sys::Date::now();
    let runs = 10;
    let mut faces = Vec::new();
    for _ in 0..runs {
        faces = detector.detect(&rgba, photo.width, photo.height).unwrap();
    }
    let per_frame = (js_sys::Date::now() - started) / f64::from(runs);
    // Informational only: speed is measured by `make bench`, never asserted in tests.
    web_sys::console::log_1(
        &format!("detection in wasm: {per_frame:.1} ms per 512×512 frame").into(),
    );

    assert_eq!(faces.len(), 1);
    let nose = faces[0].keypoint(Keypoint::NoseTip);
    assert!(
        (nose.x - 222.0).abs() < 15.0 && (nose.y - 130.0).abs() < 15.0,
        "{nose:?}"
    );
    assert!(pose::yaw(&faces[0]).abs() < 0.2);
}
