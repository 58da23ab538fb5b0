//! The SPA's tests in a real browser (headless Chromium with Chromium's synthetic
//! fake camera, see webdriver.json): `make test` runs them with wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_i18n::td_string;
use qoltanba_domain::api::ApplicationCreated;
use qoltanba_domain::api::{
    ConsentGranted, DocumentStatus, DocumentView, IdentityOutcome, Language, PhoneCheckRequest,
    PhoneCheckStarted, VerifiedIdentity,
};
use qoltanba_domain::liveness::Action;
use qoltanba_domain::{
    ApplicationNumber, ApplicationStatus, CertificateProfile, DocumentKind, KeyPurpose, Template,
};
use qoltanba_face::guidance::Guidance;
use qoltanba_web::camera::{self, CameraError};
use qoltanba_web::i18n::{I18nLocaleTrait, Locale};
use qoltanba_web::key_store::{self, Folder, KeyStoreFailure, Place};
use qoltanba_web::messages;
use qoltanba_web::wizard::{PendingSubmission, Step, Wizard};
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

fn started(id: &str) -> PhoneCheckStarted {
    PhoneCheckStarted {
        id: id.into(),
        phone_masked: "+7 701 *** ** 21".into(),
        organisation: None,
        expires_in_seconds: 90,
        attempts_left: 3,
    }
}

fn document_view(status: DocumentStatus) -> DocumentView {
    DocumentView {
        kind: DocumentKind::IdCard,
        number: "047881203".into(),
        expires_on: time::macros::date!(2031 - 04 - 11),
        status,
        reason: None,
    }
}

#[wasm_bindgen_test]
fn digital_id_follows_the_verified_phone_step_by_step() {
    let request = PhoneCheckRequest {
        profile: CertificateProfile::LegalEntity {
            template: Template::Employee,
        },
        bin: Some("150340001236".into()),
        iin: "920724405673".into(),
        language: Language::Ru,
    };
    let sent = Wizard::Start
        .camera_checked()
        .code_sent(request, started("check"), 0.0);
    // Nothing of Digital ID can be recorded before the phone is verified.
    let phone = || "+77017654321".to_owned();
    assert_eq!(
        sent.clone()
            .sign_in_code_sent(phone(), started("sign-in"), 0.0),
        sent
    );
    assert_eq!(sent.clone().selfie_taken(), sent);
    let verified = sent.verified(None);
    assert_eq!(verified.current(), Step::SignIn);
    assert_eq!(verified.applicant().unwrap().session, "check");
    // The face check needs the Digital ID session, not the application's.
    assert_eq!(verified.clone().selfie_taken(), verified);
    let signed_in = verified
        .sign_in_code_sent(phone(), started("sign-in"), 0.0)
        .signed_in();
    assert_eq!(signed_in.member().unwrap().session, "sign-in");
    assert_eq!(signed_in.current(), Step::Selfie);
    // No step may be skipped: the PIN needs the face check, the photos the PIN.
    assert_eq!(signed_in.clone().pin_set(), signed_in);
    assert_eq!(
        signed_in.clone().photos_taken(DocumentKind::IdCard, None),
        signed_in
    );
    let checked = signed_in
        .selfie_taken()
        .identity_checked(IdentityOutcome::Moderation);
    assert_eq!(checked.current(), Step::Pin);
    let photos = checked.pin_set().photos_taken(DocumentKind::Passport, None);
    assert_eq!(photos.current(), Step::ConfirmDocument);
    let submitted = photos.document_submitted(document_view(DocumentStatus::Moderation));
    assert_eq!(submitted.current(), Step::Consent);
    // No consent before an operator verified the document; a rejection starts the
    // photos again.
    let granted = ConsentGranted {
        consent: "c".into(),
        identity: VerifiedIdentity {
            iin: "920724405673".into(),
            surname: "Ахметова".into(),
            name: "Айгерим".into(),
            patronymic: None,
            birth_date: time::macros::date!(1992 - 07 - 24),
            document: document_view(DocumentStatus::Verified),
        },
    };
    assert_eq!(submitted.clone().consented(granted.clone()), submitted);
    let rejected = submitted
        .clone()
        .document_submitted(document_view(DocumentStatus::Rejected));
    assert_eq!(rejected.retake_document().current(), Step::Document);
    let verified = submitted.document_submitted(document_view(DocumentStatus::Verified));
    let consented = verified.consented(granted);
    assert_eq!(consented.current(), Step::Agreement);
    // The application: the agreement first, then the form; no number without keys.
    let accepted = consented.agreement_accepted();
    assert_eq!(accepted.current(), Step::ApplicationForm);
    let created = ApplicationCreated {
        number: ApplicationNumber::parse("27888601100404").unwrap(),
        status: ApplicationStatus::AwaitingHead,
    };
    assert_eq!(accepted.clone().submitted(created.clone()), accepted);
    let pending = PendingSubmission {
        request_id: "r".into(),
        email: None,
        treasury: None,
        authentication_request: "a".into(),
        signing_request: "s".into(),
    };
    let done = accepted.keys_made(pending).submitted(created);
    assert_eq!(done.current(), Step::Submitted);
    // Nothing of Digital ID is carried past the application.
    assert!(done.member().is_none());
}

/// The browser's private file system stands in for a folder the user picked: the
/// same handle type, without the picker dialog headless Chromium cannot answer.
async fn private_folder() -> Folder {
    let storage = web_sys::window().unwrap().navigator().storage();
    let root = wasm_bindgen_futures::JsFuture::from(storage.get_directory())
        .await
        .unwrap();
    Folder::from_handle(root.unchecked_into())
}

#[wasm_bindgen_test]
async fn pending_keys_are_kept_sealed_and_open_only_here() {
    let folder = private_folder().await;
    for place in [Place::Folder(folder.clone()), Place::Browser] {
        let key = qoltanba_pki::generate_key();
        let id = key_store::key_id(&key);
        place.keep(KeyPurpose::Signing, &key).await.unwrap();
        assert_eq!(place.take(KeyPurpose::Signing, &id).await.unwrap(), key);
        // Named by purpose: the other purpose's file is not there.
        assert_eq!(
            place.take(KeyPurpose::Authentication, &id).await.err(),
            Some(KeyStoreFailure::KeyMissing)
        );
        place.forget(KeyPurpose::Signing, &id).await.unwrap();
        assert_eq!(
            place.take(KeyPurpose::Signing, &id).await.err(),
            Some(KeyStoreFailure::KeyMissing)
        );
    }
    // In the folder there is only PBES2-encrypted PKCS#8, never a plain key; without
    // this browser's secret (here: forgotten) it cannot be opened.
    let key = qoltanba_pki::generate_key();
    let id = key_store::key_id(&key);
    let place = Place::Folder(folder.clone());
    place.keep(KeyPurpose::Authentication, &key).await.unwrap();
    let name = KeyPurpose::Authentication.pending_file_name(&id);
    let sealed = folder.read(&name).await.unwrap().unwrap();
    assert!(sealed.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert!(!sealed.contains("BEGIN PRIVATE KEY"));
    let copy = sealed.clone();
    place.forget(KeyPurpose::Authentication, &id).await.unwrap();
    folder.write(&name, copy.as_bytes()).await.unwrap();
    assert_eq!(
        place.take(KeyPurpose::Authentication, &id).await.err(),
        Some(KeyStoreFailure::KeyUnreadable)
    );
    folder.remove(&name).await.unwrap();
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

/// A file as `<input type=file>` would hand it over.
fn file_of(bytes: &[u8], name: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap()
}

#[wasm_bindgen_test]
async fn a_key_store_opens_in_the_page_and_signs_the_cabinet_challenge() {
    use qoltanba_pki::key_store::{self, OpenError};
    use qoltanba_pki::proof::{self, Statement};
    use qoltanba_web::components::key_file::{self, KeyFileProblem};

    // Exported by OpenSSL 3 with its defaults (tests/fixtures/README.md).
    let p12 = include_bytes!("../fixtures/keys/openssl-holder.p12");
    let bytes = key_file::read(&file_of(p12, "holder.p12")).await.unwrap();
    let opened = key_store::open(&bytes, "Qoltanba2026").unwrap();
    assert_eq!(
        qoltanba_pki::common_name(&opened.certificate).as_deref(),
        Some("TEST HOLDER")
    );
    let challenge = Statement::SignIn {
        challenge: "c0ffee",
    };
    let signature = proof::sign(&opened.key, challenge);
    let certified =
        qoltanba_pki::parse_certificate(qoltanba_pki::to_pem(&opened.certificate).as_bytes())
            .unwrap();
    assert_eq!(certified, opened.certificate);
    assert!(proof::verify(
        opened.key.verifying_key(),
        challenge,
        &signature
    ));

    assert_eq!(
        key_store::open(&bytes, "wrong").err(),
        Some(OpenError::PasswordOrFile)
    );
    let huge = vec![0u8; 100 * 1024];
    assert_eq!(
        key_file::read(&file_of(&huge, "huge.p12")).await.err(),
        Some(KeyFileProblem::TooLarge)
    );
    // Each problem has its own words in every language.
    for locale in Locale::get_all() {
        let problems = [
            KeyFileProblem::Unreadable,
            KeyFileProblem::TooLarge,
            KeyFileProblem::Open(OpenError::PasswordOrFile),
            KeyFileProblem::Open(OpenError::NoKey),
        ];
        let words: std::collections::HashSet<_> = problems
            .into_iter()
            .map(|p| messages::key_file(*locale, p))
            .collect();
        assert_eq!(words.len(), problems.len(), "{locale:?}");
    }
}

#[wasm_bindgen_test]
async fn a_kiosks_keys_go_to_the_folder_under_the_passphrase_and_nothing_stays_behind() {
    use qoltanba_domain::KeyStorePassword;
    let folder = private_folder().await;
    let key = qoltanba_pki::generate_key();
    let id = key_store::key_id(&key);
    let carried = |passphrase: &str| Place::Carried {
        folder: folder.clone(),
        passphrase: KeyStorePassword::parse(passphrase).unwrap(),
    };
    carried("Flesh2026kiosk")
        .keep(KeyPurpose::Signing, &key)
        .await
        .unwrap();
    let name = KeyPurpose::Signing.pending_file_name(&id);
    let sealed = folder.read(&name).await.unwrap().unwrap();
    assert!(sealed.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    // No secret was kept in this browser: as an ordinary folder it does not open.
    assert_eq!(
        Place::Folder(folder.clone())
            .take(KeyPurpose::Signing, &id)
            .await
            .err(),
        Some(KeyStoreFailure::KeyUnreadable)
    );
    assert_eq!(
        carried("Other2026kiosk")
            .take(KeyPurpose::Signing, &id)
            .await
            .err(),
        Some(KeyStoreFailure::WrongPassphrase)
    );
    let taken = carried("Flesh2026kiosk")
        .take(KeyPurpose::Signing, &id)
        .await
        .unwrap();
    assert_eq!(taken, key);
    carried("Flesh2026kiosk")
        .forget(KeyPurpose::Signing, &id)
        .await
        .unwrap();
    assert_eq!(folder.read(&name).await.unwrap(), None);

    // The request id goes with the keys, sealed too, for the browser at home.
    let number = ApplicationNumber::parse("27888601100404").unwrap();
    carried("Flesh2026kiosk")
        .carry_request(&number, "request-42")
        .await
        .unwrap();
    let file = folder
        .read("27888601100404.request")
        .await
        .unwrap()
        .unwrap();
    assert!(!file.contains("request-42"));
    assert_eq!(
        carried("Flesh2026kiosk")
            .carried_request(&number)
            .await
            .unwrap()
            .as_deref(),
        Some("request-42")
    );
    assert_eq!(
        carried("Other2026kiosk")
            .carried_request(&number)
            .await
            .err(),
        Some(KeyStoreFailure::WrongPassphrase)
    );
    folder.remove("27888601100404.request").await.unwrap();
}

/// «Озвучивать подсказки»: an instruction is spoken in the page's language when the
/// browser has a voice for it, and is a beep when it has none.
#[wasm_bindgen_test]
fn instructions_are_spoken_in_their_language_or_beep() {
    use qoltanba_web::speech;
    js_sys::eval(
        "window.said = []; window.beeps = 0;
         speechSynthesis.getVoices = () => [{ lang: 'ru-RU' }];
         speechSynthesis.cancel = () => {};
         speechSynthesis.speak = u => said.push(u.lang + ' ' + u.text);
         AudioContext.prototype.createGain = () => ({ gain: {}, connect: n => n });
         AudioContext.prototype.createOscillator = () =>
             ({ frequency: {}, connect: n => n, start: () => { beeps += 1; }, stop: () => {} });",
    )
    .unwrap();
    speech::say("Моргните", Locale::ru);
    speech::say("Көзіңізді жұмыңыз", Locale::kk);
    let said = js_sys::eval("said.join('|')").unwrap().as_string();
    assert_eq!(said.as_deref(), Some("ru-RU Моргните"));
    let beeps = js_sys::eval("beeps").unwrap().as_f64();
    assert_eq!(beeps, Some(1.0), "no Kazakh voice: a beep instead");
}
