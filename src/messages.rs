//! Every message the user can see about something that went wrong, in the current
//! language. One place, so a new error variant cannot reach the screen untranslated:
//! the matches below are exhaustive.

use leptos_i18n::td_string;
use qoltanba_domain::api::{AccountEvent, CertificateStanding, StoredData};
use qoltanba_domain::liveness::Action;
use qoltanba_domain::moderation::ReasonError;
use qoltanba_domain::revocation::RevocationReason;
use qoltanba_domain::{
    ApplicationNumberError, ApplicationStatus, BinError, DocumentField, DocumentKind, EmailError,
    FieldError, FieldSource, IinError, InstitutionCodeError, KeyPurpose, MrzError, OtpError,
    PasswordRule, PhoneError, PinError, Side, Template, TreasuryRole,
};
use qoltanba_face::guidance::Guidance;
use qoltanba_face::liveness::{Failure, Progress};

use crate::api::ApiFailure;
use crate::camera::CameraError;
use crate::components::key_file::KeyFileProblem;
use crate::i18n::{I18nLocaleTrait, Locale};
use crate::key_store::{KeyStoreFailure, KeysOrServer};
use crate::photo::FileProblem;
use crate::services::key_check::CheckFailure;

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
    Phone(PhoneError),
    Reason(ReasonError),
}

impl Invalid {
    /// "Too short" is the one error every value has while it is being typed.
    pub fn is_length(self) -> bool {
        matches!(
            self,
            Self::Iin(IinError::Length)
                | Self::Bin(BinError::Length)
                | Self::Code(OtpError::Length)
                // A phone number is not valid until it is complete.
                | Self::Phone(_)
                | Self::Reason(ReasonError::TooShort)
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
        Invalid::Phone(PhoneError::Invalid) => td_string!(locale, errors.phone_invalid),
        Invalid::Reason(e) => match e {
            ReasonError::TooShort => td_string!(locale, operator.reason_too_short),
            ReasonError::TooLong => td_string!(locale, operator.reason_too_long),
        },
    }
}

pub fn pin(locale: Locale, error: PinError) -> &'static str {
    match error {
        PinError::NotDigits => td_string!(locale, errors.pin_not_digits),
        PinError::Length => td_string!(locale, errors.pin_length),
        PinError::Mismatch => td_string!(locale, errors.pin_mismatch),
        PinError::Trivial => td_string!(locale, errors.pin_trivial),
        PinError::BirthDate => td_string!(locale, errors.pin_birth_date),
    }
}

/// A rule of «Подтвердить документ» that a field breaks.
pub fn document_field(locale: Locale, error: FieldError) -> &'static str {
    match error {
        FieldError::Required => td_string!(locale, errors.required),
        FieldError::Number => td_string!(locale, errors.document_number),
        FieldError::Letters => td_string!(locale, errors.letters),
        FieldError::TooLong => td_string!(locale, errors.too_long),
        FieldError::Date => td_string!(locale, errors.date),
        FieldError::Future => td_string!(locale, errors.future),
        FieldError::Expired => td_string!(locale, errors.expired),
        FieldError::BeforeIssue => td_string!(locale, errors.before_issue),
    }
}

pub fn mrz(locale: Locale, error: &MrzError) -> &'static str {
    match error {
        MrzError::Shape => td_string!(locale, errors.mrz_shape),
        MrzError::Character => td_string!(locale, errors.mrz_character),
        MrzError::CheckDigits(_) => td_string!(locale, errors.mrz_check_digit),
        MrzError::Date(_) => td_string!(locale, errors.mrz_date),
        MrzError::Iin => td_string!(locale, errors.mrz_iin),
    }
}

pub fn document_field_label(locale: Locale, field: DocumentField) -> &'static str {
    match field {
        DocumentField::Number => td_string!(locale, confirm.number),
        DocumentField::Surname => td_string!(locale, confirm.surname),
        DocumentField::Name => td_string!(locale, confirm.name),
        DocumentField::Patronymic => td_string!(locale, confirm.patronymic),
        DocumentField::BirthDate => td_string!(locale, confirm.birth_date),
        DocumentField::BirthPlace => td_string!(locale, confirm.birth_place),
        DocumentField::Nationality => td_string!(locale, confirm.nationality),
        DocumentField::Issuer => td_string!(locale, confirm.issuer),
        DocumentField::IssuedOn => td_string!(locale, confirm.issued_on),
        DocumentField::ExpiresOn => td_string!(locale, confirm.expires_on),
    }
}

pub fn field_source(locale: Locale, source: FieldSource) -> &'static str {
    match source {
        FieldSource::Mrz => td_string!(locale, confirm.from_mrz),
        FieldSource::Typed => td_string!(locale, confirm.typed),
    }
}

pub fn document_kind(locale: Locale, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::IdCard => td_string!(locale, document.id_card),
        DocumentKind::Passport => td_string!(locale, document.passport),
    }
}

pub fn side(locale: Locale, side: Side) -> &'static str {
    match side {
        Side::Front => td_string!(locale, document.front),
        Side::Back => td_string!(locale, document.back),
    }
}

pub fn file_problem(locale: Locale, problem: FileProblem) -> &'static str {
    match problem {
        FileProblem::Empty => td_string!(locale, errors.empty_file),
        FileProblem::TooLarge => td_string!(locale, errors.file_too_large),
        FileProblem::NotJpeg => td_string!(locale, errors.not_jpeg),
    }
}

pub fn account_event(locale: Locale, event: AccountEvent) -> &'static str {
    match event {
        AccountEvent::SignedIn => td_string!(locale, account.event_signed_in),
        AccountEvent::PinSet => td_string!(locale, account.event_pin_set),
        AccountEvent::DocumentVerified => td_string!(locale, account.event_verified),
        AccountEvent::DocumentSentToModeration => td_string!(locale, account.event_moderation),
        AccountEvent::DocumentApproved => td_string!(locale, account.event_approved),
        AccountEvent::DocumentRejected => td_string!(locale, account.event_rejected),
        AccountEvent::ConsentGiven => td_string!(locale, account.event_consent),
        AccountEvent::WrongPin => td_string!(locale, account.event_wrong_pin),
        AccountEvent::PinLocked => td_string!(locale, account.event_pin_locked),
    }
}

pub fn stored_data(locale: Locale, data: StoredData) -> &'static str {
    match data {
        StoredData::Selfie => td_string!(locale, account.stored_selfie),
        StoredData::DocumentFront => td_string!(locale, account.stored_front),
        StoredData::DocumentBack => td_string!(locale, account.stored_back),
        StoredData::DocumentFields => td_string!(locale, account.stored_fields),
        StoredData::PinHash => td_string!(locale, account.stored_pin),
    }
}

/// A date as the user's language writes it (24.10.2028, 10/24/2028…).
pub fn date(locale: Locale, date: time::Date) -> String {
    let at = js_sys::Date::new_with_year_month_day(
        date.year() as u32,
        i32::from(u8::from(date.month())) - 1,
        i32::from(date.day()),
    );
    at.to_locale_date_string(locale.as_str(), &js_sys::Object::new())
        .as_string()
        .unwrap_or_default()
}

pub fn date_time(locale: Locale, at: time::OffsetDateTime) -> String {
    let at = js_sys::Date::new(&((at.unix_timestamp_nanos() / 1_000_000) as f64).into());
    at.to_locale_string(locale.as_str(), &js_sys::Object::new())
        .as_string()
        .unwrap_or_default()
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

pub fn treasury_role(locale: Locale, role: TreasuryRole) -> &'static str {
    match role {
        TreasuryRole::FirstSignature => td_string!(locale, application.role_first_signature),
        TreasuryRole::SecondSignature => td_string!(locale, application.role_second_signature),
        TreasuryRole::Operator => td_string!(locale, application.role_operator),
    }
}

pub fn email(locale: Locale, error: EmailError) -> &'static str {
    match error {
        EmailError::TooLong => td_string!(locale, errors.email_too_long),
        EmailError::Character => td_string!(locale, errors.email_character),
        EmailError::Shape => td_string!(locale, errors.email_shape),
    }
}

pub fn institution_code(locale: Locale, error: InstitutionCodeError) -> &'static str {
    match error {
        InstitutionCodeError::NotDigits => td_string!(locale, errors.institution_not_digits),
        InstitutionCodeError::Length => td_string!(locale, errors.institution_length),
    }
}

pub fn key_store(locale: Locale, failure: KeyStoreFailure) -> &'static str {
    match failure {
        KeyStoreFailure::Storage => td_string!(locale, errors.key_storage),
        KeyStoreFailure::Folder => td_string!(locale, errors.key_folder),
        KeyStoreFailure::KeyMissing => td_string!(locale, errors.key_missing),
        KeyStoreFailure::KeyUnreadable => td_string!(locale, errors.key_unreadable),
        KeyStoreFailure::KeyMismatch => td_string!(locale, errors.key_mismatch),
        KeyStoreFailure::WrongPassphrase => td_string!(locale, errors.wrong_passphrase),
    }
}

pub fn keys_or_server(locale: Locale, failure: &KeysOrServer) -> String {
    match failure {
        KeysOrServer::Keys(e) => key_store(locale, *e).to_owned(),
        KeysOrServer::Server(e) => api(locale, e),
    }
}

pub fn application_status(locale: Locale, status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Identified => td_string!(locale, status.identified),
        ApplicationStatus::AwaitingHead => td_string!(locale, status.awaiting_head),
        ApplicationStatus::Rejected => td_string!(locale, status.rejected),
        ApplicationStatus::Expired => td_string!(locale, status.expired),
        ApplicationStatus::Issued => td_string!(locale, status.issued),
        ApplicationStatus::Installed => td_string!(locale, status.installed),
        ApplicationStatus::Revoked => td_string!(locale, status.revoked),
    }
}

pub fn password_rule(locale: Locale, rule: PasswordRule) -> &'static str {
    match rule {
        PasswordRule::TooShort => td_string!(locale, install.rule_length),
        PasswordRule::TooLong => td_string!(locale, install.rule_max_length),
        PasswordRule::ForbiddenCharacter => td_string!(locale, install.rule_characters),
        PasswordRule::NoLetter => td_string!(locale, install.rule_letter),
        PasswordRule::NoDigit => td_string!(locale, install.rule_digit),
    }
}

pub fn key_file(locale: Locale, problem: KeyFileProblem) -> &'static str {
    use qoltanba_pki::key_store::OpenError;
    match problem {
        KeyFileProblem::Unreadable => td_string!(locale, key_file.unreadable),
        KeyFileProblem::TooLarge => td_string!(locale, key_file.too_large),
        KeyFileProblem::Open(OpenError::PasswordOrFile) => {
            td_string!(locale, key_file.password_or_file)
        }
        KeyFileProblem::Open(OpenError::NoKey) => td_string!(locale, key_file.no_key),
    }
}

pub fn check_failure(locale: Locale, failure: &CheckFailure) -> String {
    match failure {
        CheckFailure::File(problem) => key_file(locale, *problem).to_owned(),
        CheckFailure::NotCertificate => td_string!(locale, key_check.not_certificate).to_owned(),
        CheckFailure::Server(e) => api(locale, e),
    }
}

pub fn standing(locale: Locale, standing: CertificateStanding) -> &'static str {
    match standing {
        CertificateStanding::Valid => td_string!(locale, key_check.valid),
        CertificateStanding::Revoked => td_string!(locale, key_check.revoked),
        CertificateStanding::Expired => td_string!(locale, key_check.expired),
        CertificateStanding::NotYetValid => td_string!(locale, key_check.not_yet_valid),
        CertificateStanding::NotOurs => td_string!(locale, key_check.not_ours),
    }
}

/// Only a valid certificate is shown as good news.
pub fn standing_class(standing: CertificateStanding) -> &'static str {
    match standing {
        CertificateStanding::Valid => "success",
        _ => "error",
    }
}

pub fn key_purpose(locale: Locale, purpose: KeyPurpose) -> &'static str {
    match purpose {
        KeyPurpose::Authentication => td_string!(locale, key_check.authentication),
        KeyPurpose::Signing => td_string!(locale, key_check.signing),
    }
}

pub fn revocation_reason(locale: Locale, reason: RevocationReason) -> &'static str {
    match reason {
        RevocationReason::KeyCompromise => td_string!(locale, revocation.key_compromise),
        RevocationReason::AffiliationChanged => td_string!(locale, revocation.affiliation_changed),
        RevocationReason::Superseded => td_string!(locale, revocation.superseded),
        RevocationReason::CessationOfOperation => td_string!(locale, revocation.cessation),
    }
}

/// An audit trail's event: `created`, or the status the application moved to.
pub fn audit_event(locale: Locale, code: &str) -> String {
    if code == "created" {
        return td_string!(locale, cabinet.event_created).to_owned();
    }
    ApplicationStatus::ALL
        .into_iter()
        .find(|s| s.code() == code)
        .map_or_else(
            || code.to_owned(),
            |s| application_status(locale, s).to_owned(),
        )
}

/// Who acted, as the server's audit trail names them.
pub fn audit_actor(locale: Locale, code: &str) -> String {
    match code {
        "registration_authority" => td_string!(locale, cabinet.actor_ra),
        "certification_authority" => td_string!(locale, cabinet.actor_ca),
        "applicant" => td_string!(locale, cabinet.actor_applicant),
        "system" => td_string!(locale, cabinet.actor_system),
        "first_head" => td_string!(locale, cabinet.actor_first_head),
        "acting_signer" => td_string!(locale, cabinet.actor_acting_signer),
        other => return other.to_owned(),
    }
    .to_owned()
}

pub fn call_phase(locale: Locale, phase: &crate::call::Phase) -> String {
    use crate::call::{Ending, Phase};
    use qoltanba_domain::call::EndReason;
    match phase {
        Phase::Connecting => td_string!(locale, call.connecting).to_owned(),
        Phase::Waiting { position } => {
            td_string!(locale, call.waiting, position = *position).to_string()
        }
        Phase::Connected {
            operator: Some(name),
        } => td_string!(locale, call.connected_with, name = name.as_str()).to_string(),
        Phase::Connected { operator: None } => td_string!(locale, call.connected).to_owned(),
        Phase::Ended(ending) => match ending {
            Ending::HungUpHere => td_string!(locale, call.ended_here),
            Ending::There(EndReason::HungUp | EndReason::Left) => {
                td_string!(locale, call.ended_there)
            }
            Ending::There(EndReason::Dropped) => td_string!(locale, call.dropped_there),
            Ending::Dropped => td_string!(locale, call.dropped),
            Ending::Refused => td_string!(locale, call.refused),
            Ending::Failed(_) => td_string!(locale, call.failed),
        }
        .to_owned(),
    }
}

pub fn call_start(locale: Locale, failure: &crate::steps::video_call::CallStartFailure) -> String {
    use crate::steps::video_call::CallStartFailure;
    match failure {
        CallStartFailure::Camera(e) => camera(locale, *e).to_owned(),
        CallStartFailure::Server(e) => api(locale, e),
        CallStartFailure::Call(_) => td_string!(locale, call.failed).to_owned(),
    }
}

pub fn application_number(locale: Locale, error: ApplicationNumberError) -> &'static str {
    match error {
        ApplicationNumberError::NotDigits => td_string!(locale, errors.number_not_digits),
        ApplicationNumberError::Length => td_string!(locale, errors.number_length),
    }
}

pub fn label_bin(locale: Locale) -> &'static str {
    td_string!(locale, applicant.bin)
}

pub fn label_iin(locale: Locale) -> &'static str {
    td_string!(locale, applicant.iin)
}

pub fn label_phone(locale: Locale) -> &'static str {
    td_string!(locale, calls.phone)
}

/// A language by its own name: the operator sees which one the caller asked for.
pub fn language_name(locale: Locale, language: qoltanba_domain::api::Language) -> &'static str {
    use qoltanba_domain::api::Language;
    match language {
        Language::Ru => td_string!(locale, calls.russian),
        Language::Kk => td_string!(locale, calls.kazakh),
        Language::En => td_string!(locale, calls.english),
    }
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
        "pin_wrong" => format!(
            "{} {}",
            td_string!(locale, errors.pin_wrong),
            td_string!(
                locale,
                liveness.attempts_left,
                attempts = detail.attempts_left.unwrap_or(0)
            )
        ),
        "not_jpeg" => file_problem(locale, FileProblem::NotJpeg).to_owned(),
        "empty_file" => file_problem(locale, FileProblem::Empty).to_owned(),
        "too_large" => file_problem(locale, FileProblem::TooLarge).to_owned(),
        "bad_document_photo" => td_string!(locale, errors.bad_document_photo).to_owned(),
        "identity_missing" => td_string!(locale, errors.identity_missing).to_owned(),
        "pin_missing" => td_string!(locale, errors.pin_missing).to_owned(),
        "photos_missing" => td_string!(locale, errors.photos_missing).to_owned(),
        "document_submitted" => td_string!(locale, errors.document_submitted).to_owned(),
        "document_not_verified" => td_string!(locale, errors.document_not_verified).to_owned(),
        "operator_credentials" => td_string!(locale, operator.error_credentials).to_owned(),
        "operator_session" => td_string!(locale, operator.error_session).to_owned(),
        "case_not_found" => td_string!(locale, operator.error_case_not_found).to_owned(),
        "case_decided" => td_string!(locale, operator.error_case_decided).to_owned(),
        "rate_limited" => td_string!(locale, errors.rate_limited, time = retry_at()),
        "no_consent" => td_string!(locale, errors.no_consent).to_owned(),
        "consent_used" => td_string!(locale, errors.consent_used).to_owned(),
        "key_used" | "request_reused" => td_string!(locale, errors.request_reused).to_owned(),
        "not_applicant" => td_string!(locale, errors.not_applicant).to_owned(),
        "not_issued" => td_string!(locale, errors.not_issued).to_owned(),
        "bad_proof" => td_string!(locale, errors.bad_proof).to_owned(),
        "wrong_status" => td_string!(locale, errors.wrong_status).to_owned(),
        "challenge_invalid" => td_string!(locale, errors.challenge_invalid).to_owned(),
        "certificate_not_ours" => td_string!(locale, errors.certificate_not_ours).to_owned(),
        "certificate_dates" => td_string!(locale, errors.certificate_dates).to_owned(),
        "certificate_revoked" => td_string!(locale, errors.certificate_revoked).to_owned(),
        "certificate_purpose" => td_string!(locale, errors.certificate_purpose).to_owned(),
        "signature_invalid" => td_string!(locale, errors.signature_invalid).to_owned(),
        "cabinet_session" => td_string!(locale, errors.cabinet_session).to_owned(),
        "may_not_confirm" => td_string!(locale, errors.may_not_confirm).to_owned(),
        "other_organisation" => td_string!(locale, errors.other_organisation).to_owned(),
        "signer_mismatch" => td_string!(locale, errors.signer_mismatch).to_owned(),
        "certificate_unreadable" => td_string!(locale, errors.certificate_unreadable).to_owned(),
        "call_forbidden" => td_string!(locale, errors.call_forbidden).to_owned(),
        "call_in_use" => td_string!(locale, errors.call_in_use).to_owned(),
        "call_taken" => td_string!(locale, errors.call_taken).to_owned(),
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
pub fn field_code(locale: Locale, code: &str) -> &'static str {
    use qoltanba_domain::ErrorCode;
    use BinError as B;
    use IinError as I;
    use OtpError as O;
    // Codes of the Digital ID forms, found by the domain's own codes.
    if let Some(e) = PinError::ALL.into_iter().find(|e| e.code() == code) {
        return pin(locale, e);
    }
    if let Some(e) = FieldError::ALL.into_iter().find(|e| e.code() == code) {
        return document_field(locale, e);
    }
    if let Some(e) = EmailError::ALL.into_iter().find(|e| e.code() == code) {
        return email(locale, e);
    }
    if let Some(e) = InstitutionCodeError::ALL
        .into_iter()
        .find(|e| e.code() == code)
    {
        return institution_code(locale, e);
    }
    if let Some(e) = [
        ApplicationNumberError::NotDigits,
        ApplicationNumberError::Length,
    ]
    .into_iter()
    .find(|e| e.code() == code)
    {
        return application_number(locale, e);
    }
    if code.starts_with("request.") || code.starts_with("treasury.") {
        // The page built the request or the fields itself: nothing the user typed.
        return td_string!(locale, errors.request_refused);
    }
    let parsed = match code {
        "bin.required" => return td_string!(locale, errors.bin_required),
        "phone.invalid" => Invalid::Phone(PhoneError::Invalid),
        "phone.not_registered_for_iin" => return td_string!(locale, errors.phone_other),
        "call.not_answered" => return td_string!(locale, errors.call_not_answered),
        "document.not_confirmed" => return td_string!(locale, errors.not_confirmed),
        "mrz.shape" => return mrz(locale, &MrzError::Shape),
        "mrz.character" => return mrz(locale, &MrzError::Character),
        "mrz.check_digit" => return mrz(locale, &MrzError::CheckDigits(Vec::new())),
        "mrz.date" => {
            return mrz(
                locale,
                &MrzError::Date(qoltanba_domain::MrzField::BirthDate),
            )
        }
        "mrz.iin" => return mrz(locale, &MrzError::Iin),
        "mrz.kind" => return td_string!(locale, errors.mrz_kind),
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
        "reason.too_short" => Invalid::Reason(ReasonError::TooShort),
        "reason.too_long" => Invalid::Reason(ReasonError::TooLong),
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
