//! Every message the user can see about something that went wrong, in the current
//! language. One place, so a new error variant cannot reach the screen untranslated:
//! the matches below are exhaustive.

use leptos_i18n::td_string;
use qoltanba_domain::liveness::Action;
use qoltanba_domain::{BinError, IinError, OtpError, Template};
use qoltanba_face::guidance::Guidance;
use qoltanba_face::liveness::{Failure, Progress};

use crate::api::ApiFailure;
use crate::camera::CameraError;
use crate::i18n::{I18nLocaleTrait, Locale};

pub fn camera(locale: Locale, error: CameraError) -> &'static str {
    match error {
        CameraError::NoCamera => td_string!(locale, webcam.no_camera),
        CameraError::Denied => td_string!(locale, webcam.denied),
        CameraError::Busy => td_string!(locale, webcam.busy),
        CameraError::Unsupported => td_string!(locale, webcam.unsupported),
    }
}

/// The face models are still loading (or the camera is starting).
pub fn face_loading(locale: Locale) -> &'static str {
    td_string!(locale, face.loading)
}

/// The face check cannot run in this browser: the operator route remains.
pub fn face_unavailable(locale: Locale) -> &'static str {
    td_string!(locale, face.unavailable)
}

pub fn guidance(locale: Locale, guidance: Guidance) -> &'static str {
    match guidance {
        Guidance::NoFace => td_string!(locale, face.no_face),
        Guidance::SeveralFaces => td_string!(locale, face.several_faces),
        Guidance::TooDark => td_string!(locale, face.too_dark),
        Guidance::MoveCloser => td_string!(locale, face.move_closer),
        Guidance::MoveBack => td_string!(locale, face.move_back),
        Guidance::CenterFace => td_string!(locale, face.center),
        Guidance::FaceTheCamera => td_string!(locale, face.face_camera),
        Guidance::HoldStill => td_string!(locale, face.hold_still),
        Guidance::Ready => td_string!(locale, face.ready),
    }
}

/// The instruction for a liveness movement; "left" is the user's own left.
pub fn action(locale: Locale, action: Action) -> &'static str {
    match action {
        Action::TurnLeft => td_string!(locale, liveness.turn_left),
        Action::TurnRight => td_string!(locale, liveness.turn_right),
        Action::MoveCloser => td_string!(locale, liveness.move_closer),
        Action::Blink => td_string!(locale, liveness.blink),
    }
}

/// What the user should do at this point of the challenge.
pub fn liveness_progress(locale: Locale, progress: Progress) -> &'static str {
    match progress {
        Progress::Calibrating => td_string!(locale, liveness.look_at_camera),
        Progress::Doing { action: a, .. } => action(locale, a),
        Progress::Returning { .. } => td_string!(locale, liveness.back_to_start),
        Progress::Passed => td_string!(locale, liveness.checking),
        Progress::Failed(failure) => liveness_failure(locale, failure),
    }
}

pub fn liveness_failure(locale: Locale, failure: Failure) -> &'static str {
    match failure {
        Failure::TooSlow => td_string!(locale, liveness.too_slow),
        Failure::WrongMovement { .. } => td_string!(locale, liveness.wrong_movement),
        Failure::SeveralFaces => td_string!(locale, face.several_faces),
    }
}

/// A value the domain's parser refused, by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    Iin(IinError),
    Bin(BinError),
    Code(OtpError),
}

impl Invalid {
    /// "Too short" is the one error every value has while it is being typed.
    pub fn is_length(self) -> bool {
        matches!(
            self,
            Self::Iin(IinError::Length)
                | Self::Bin(BinError::Length)
                | Self::Code(OtpError::Length)
        )
    }
}

pub fn invalid(locale: Locale, error: Invalid) -> &'static str {
    match error {
        Invalid::Iin(e) => match e {
            IinError::NotDigits => td_string!(locale, errors.iin_not_digits),
            IinError::Length => td_string!(locale, errors.iin_length),
            IinError::CheckDigit => td_string!(locale, errors.iin_check_digit),
            IinError::NeverIssued => td_string!(locale, errors.iin_never_issued),
            IinError::CenturyDigit => td_string!(locale, errors.iin_century),
            IinError::BirthDate => td_string!(locale, errors.iin_birth_date),
        },
        Invalid::Bin(e) => match e {
            BinError::NotDigits => td_string!(locale, errors.bin_not_digits),
            BinError::Length => td_string!(locale, errors.bin_length),
            BinError::CheckDigit => td_string!(locale, errors.bin_check_digit),
            BinError::NeverIssued => td_string!(locale, errors.bin_never_issued),
            BinError::RegistrationMonth => td_string!(locale, errors.bin_month),
            BinError::EntityKind => td_string!(locale, errors.bin_entity_kind),
            BinError::Unit => td_string!(locale, errors.bin_unit),
        },
        Invalid::Code(e) => match e {
            OtpError::NotDigits => td_string!(locale, errors.otp_not_digits),
            OtpError::Length => td_string!(locale, errors.otp_length),
        },
    }
}

pub fn template(locale: Locale, template: Template) -> &'static str {
    match template {
        Template::FirstHead => td_string!(locale, template.first_head),
        Template::Signer => td_string!(locale, template.signer),
        Template::FinanceSigner => td_string!(locale, template.finance_signer),
        Template::Hr => td_string!(locale, template.hr),
        Template::Employee => td_string!(locale, template.employee),
        Template::TreasuryClient => td_string!(locale, template.treasury_client),
    }
}

pub fn label_bin(locale: Locale) -> &'static str {
    td_string!(locale, applicant.bin)
}

pub fn label_iin(locale: Locale) -> &'static str {
    td_string!(locale, applicant.iin)
}

pub fn label_code(locale: Locale) -> &'static str {
    td_string!(locale, otp.label)
}

pub fn expired(locale: Locale) -> &'static str {
    td_string!(locale, errors.otp_expired)
}

/// Refusals that only an operator can resolve (the phone must be registered, or the
/// face check failed too often).
pub fn needs_operator(failure: &ApiFailure) -> bool {
    matches!(failure, ApiFailure::Refused(detail)
        if matches!(detail.code.as_str(), "phone_not_registered" | "identity_locked"))
}

/// What to tell the user about a failed API call.
pub fn api(locale: Locale, failure: &ApiFailure) -> String {
    let detail = match failure {
        ApiFailure::Network => return td_string!(locale, errors.network).to_owned(),
        ApiFailure::Timeout => return td_string!(locale, errors.timeout).to_owned(),
        ApiFailure::Server => return td_string!(locale, errors.server).to_owned(),
        ApiFailure::Refused(detail) => detail,
    };
    let retry_at = || clock_after(locale, detail.retry_after_seconds.unwrap_or(0));
    match detail.code.as_str() {
        "bin_not_found" => td_string!(locale, errors.bin_not_found).to_owned(),
        "iin_not_found" => td_string!(locale, errors.iin_not_found).to_owned(),
        "not_first_head" => td_string!(locale, errors.not_first_head).to_owned(),
        "phone_not_registered" => td_string!(locale, errors.phone_not_registered).to_owned(),
        "otp_expired" => expired(locale).to_owned(),
        "not_found" => td_string!(locale, errors.verification_gone).to_owned(),
        "otp_wrong" => format!(
            "{}. {}",
            td_string!(locale, errors.otp_wrong),
            td_string!(
                locale,
                otp.attempts_left,
                attempts = detail.attempts_left.unwrap_or(0)
            )
        ),
        "locked" => td_string!(locale, errors.locked, time = retry_at()),
        "identity_locked" => td_string!(locale, errors.identity_locked, time = retry_at()),
        "liveness_failed" => format!(
            "{} {}",
            td_string!(locale, errors.liveness_failed),
            td_string!(
                locale,
                liveness.attempts_left,
                attempts = detail.attempts_left.unwrap_or(0)
            )
        ),
        "challenge_used" | "challenge_expired" => {
            td_string!(locale, errors.challenge_over).to_owned()
        }
        // The picture could not be used, or is missing: either way, take it again.
        "selfie_rejected" | "selfie_missing" | "bad_picture" => {
            td_string!(locale, errors.selfie_rejected).to_owned()
        }
        "no_session" => td_string!(locale, errors.no_session).to_owned(),
        "rate_limited" => td_string!(locale, errors.rate_limited, time = retry_at()),
        "validation" => detail
            .fields
            .values()
            .map(|code| field_code(locale, code))
            .collect::<Vec<_>>()
            .join(". "),
        _ => td_string!(locale, errors.unexpected).to_owned(),
    }
}

/// A field error code from the server (the domain's `ErrorCode`), in words.
fn field_code(locale: Locale, code: &str) -> &'static str {
    use BinError as B;
    use IinError as I;
    use OtpError as O;
    let parsed = match code {
        "bin.required" => return td_string!(locale, errors.bin_required),
        "iin.not_digits" => Invalid::Iin(I::NotDigits),
        "iin.length" => Invalid::Iin(I::Length),
        "iin.check_digit" => Invalid::Iin(I::CheckDigit),
        "iin.never_issued" => Invalid::Iin(I::NeverIssued),
        "iin.century" => Invalid::Iin(I::CenturyDigit),
        "iin.birth_date" => Invalid::Iin(I::BirthDate),
        "bin.not_digits" => Invalid::Bin(B::NotDigits),
        "bin.length" => Invalid::Bin(B::Length),
        "bin.check_digit" => Invalid::Bin(B::CheckDigit),
        "bin.never_issued" => Invalid::Bin(B::NeverIssued),
        "bin.month" => Invalid::Bin(B::RegistrationMonth),
        "bin.entity_kind" => Invalid::Bin(B::EntityKind),
        "bin.unit" => Invalid::Bin(B::Unit),
        "otp.not_digits" => Invalid::Code(O::NotDigits),
        "otp.length" => Invalid::Code(O::Length),
        _ => return td_string!(locale, errors.unexpected),
    };
    invalid(locale, parsed)
}

/// The local wall-clock time `seconds` from now, as the user's language writes it.
fn clock_after(locale: Locale, seconds: i64) -> String {
    let at = js_sys::Date::new(&(js_sys::Date::now() + seconds as f64 * 1000.0).into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    at.to_locale_time_string_with_options(locale.as_str(), &options)
        .as_string()
        .unwrap_or_default()
}
