//! The SPA's tests in a real browser (headless Chromium with Chromium's synthetic
//! fake camera, see webdriver.json): `make test` runs them with wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_i18n::td_string;
use qoltanba_domain::api::{IdentityOutcome, Language, PhoneCheckRequest, PhoneCheckStarted};
use qoltanba_domain::liveness::Action;
use qoltanba_domain::{CertificateProfile, Template};
use qoltanba_face::guidance::Guidance;
use qoltanba_web::camera::{self, CameraError};
use qoltanba_web::i18n::{I18nLocaleTrait, Locale};
use qoltanba_web::messages;
use qoltanba_web::wizard::{Step, Wizard};
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

/// Every text is there and no two variants share one, in every language.
fn all_distinct(texts: impl Fn(Locale) -> Vec<&'static str>) {
    for &locale in Locale::get_all() {
        let texts = texts(locale);
        for text in &texts {
            assert!(!text.trim().is_empty(), "{locale}: empty message");
        }
        let mut distinct = texts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            texts.len(),
            "{locale}: two variants share a message"
        );
    }
}

#[wasm_bindgen_test]
fn every_camera_error_has_its_own_message_in_every_language() {
    all_distinct(|locale| {
        CAMERA_ERRORS
            .iter()
            .map(|&error| messages::camera(locale, error))
            .collect()
    });
}

#[wasm_bindgen_test]
fn every_face_instruction_has_its_own_words_in_every_language() {
    use Guidance::*;
    let guidance = [
        NoFace,
        SeveralFaces,
        TooDark,
        MoveCloser,
        MoveBack,
        CenterFace,
        FaceTheCamera,
        HoldStill,
        Ready,
    ];
    all_distinct(|locale| {
        guidance
            .iter()
            .map(|&g| messages::guidance(locale, g))
            .collect()
    });
    all_distinct(|locale| {
        Action::ALL
            .iter()
            .map(|&a| messages::action(locale, a))
            .collect()
    });
}

#[wasm_bindgen_test]
fn the_face_steps_follow_the_verified_phone_in_order() {
    let request = PhoneCheckRequest {
        profile: CertificateProfile::LegalEntity {
            template: Template::Employee,
        },
        bin: Some("150340001236".into()),
        iin: "920724405673".into(),
        language: Language::Ru,
    };
    let check = PhoneCheckStarted {
        id: "check".into(),
        phone_masked: "+7 701 *** ** 21".into(),
        organisation: None,
        expires_in_seconds: 90,
        attempts_left: 3,
    };
    let sent = Wizard::Start
        .camera_checked()
        .code_sent(request, check, 0.0);
    // A face check cannot be recorded before the phone is verified, nor skip the selfie.
    assert_eq!(sent.clone().selfie_taken(), sent);
    let verified = sent.verified(None);
    assert_eq!(verified.current(), Step::Selfie);
    assert_eq!(verified.applicant().unwrap().session, "check");
    assert_eq!(
        verified.clone().identity_checked(IdentityOutcome::Verified),
        verified
    );
    let selfie = verified.selfie_taken();
    assert_eq!(selfie.current(), Step::Liveness);
    let done = selfie.identity_checked(IdentityOutcome::Moderation);
    assert!(matches!(
        done,
        Wizard::IdentityChecked {
            outcome: IdentityOutcome::Moderation,
            ..
        }
    ));
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
