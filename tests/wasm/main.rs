//! The SPA's tests in a real browser (headless Chromium with Chromium's synthetic
//! fake camera, see webdriver.json): `make test` runs them with wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_i18n::td_string;
use qoltanba_web::camera::{self, CameraError};
use qoltanba_web::i18n::{I18nLocaleTrait, Locale};
use qoltanba_web::messages;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CAMERA_ERRORS: [CameraError; 4] = [
    CameraError::NoCamera,
    CameraError::Denied,
    CameraError::Busy,
    CameraError::Unsupported,
];

#[wasm_bindgen_test]
async fn the_camera_probe_opens_the_fake_camera_and_releases_it() {
    assert_eq!(camera::probe().await, Ok(()));
}

#[wasm_bindgen_test]
fn get_user_media_failures_map_to_what_the_user_can_do() {
    assert_eq!(
        CameraError::from_dom_name("NotFoundError"),
        CameraError::NoCamera
    );
    assert_eq!(
        CameraError::from_dom_name("OverconstrainedError"),
        CameraError::NoCamera
    );
    assert_eq!(
        CameraError::from_dom_name("NotAllowedError"),
        CameraError::Denied
    );
    assert_eq!(
        CameraError::from_dom_name("SecurityError"),
        CameraError::Denied
    );
    assert_eq!(
        CameraError::from_dom_name("NotReadableError"),
        CameraError::Busy
    );
    assert_eq!(
        CameraError::from_dom_name("TypeError"),
        CameraError::Unsupported
    );
}

#[wasm_bindgen_test]
fn every_camera_error_has_its_own_message_in_every_language() {
    for &locale in Locale::get_all() {
        let texts: Vec<&str> = CAMERA_ERRORS
            .iter()
            .map(|&error| messages::camera(locale, error))
            .collect();
        for text in &texts {
            assert!(!text.trim().is_empty(), "{locale}: empty message");
        }
        let mut distinct = texts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            texts.len(),
            "{locale}: two errors share a message"
        );
    }
}

#[wasm_bindgen_test]
async fn the_app_renders_the_landing_page_in_the_browser_language() {
    let document = document();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), qoltanba_web::app::App);
    gloo_timers::future::TimeoutFuture::new(50).await;

    let locale = document
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|lang| lang.parse::<Locale>().ok())
        .expect("the i18n context sets <html lang> to a supported locale");
    let button = host
        .query_selector("button.primary")
        .unwrap()
        .expect("the landing page has its start button");
    assert_eq!(
        button.text_content().unwrap_or_default(),
        td_string!(locale, landing.start)
    );
    drop(handle);
}
