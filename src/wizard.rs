//! The applicant's wizard as an explicit state machine. Each state holds exactly what
//! that point of the flow knows, the routes show only the steps a state allows, and the
//! state is kept in sessionStorage so a reload resumes where the user was. One-time
//! codes are never part of it.

use gloo_storage::{SessionStorage, Storage};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use qoltanba_domain::api::{
    Account, ApplicationCreated, ConsentGranted, DocumentStatus, DocumentView, IdentityOutcome,
    PhoneCheckRequest, PhoneCheckStarted, TreasuryInput,
};
use qoltanba_domain::{ApplicantKind, CertificateProfile, DocumentKind, Template};
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "qoltanba.wizard";

/// The wizard's screens, in the order of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Webcam,
    Applicant,
    Code,
    Registered,
    SignIn,
    CreateDigitalId,
    Selfie,
    Liveness,
    Pin,
    Document,
    ConfirmDocument,
    Account,
    Consent,
    Agreement,
    ApplicationForm,
    Submitted,
}

impl Step {
    pub fn path(self) -> &'static str {
        match self {
            Self::Webcam => "/apply/webcam",
            Self::Applicant => "/apply/applicant",
            Self::Code => "/apply/code",
            Self::Registered => "/apply/registered",
            Self::SignIn => "/digital-id/sign-in",
            Self::CreateDigitalId => "/digital-id/create",
            Self::Selfie => "/digital-id/selfie",
            Self::Liveness => "/digital-id/liveness",
            Self::Pin => "/digital-id/pin",
            Self::Document => "/digital-id/document",
            Self::ConfirmDocument => "/digital-id/document/confirm",
            Self::Account => "/digital-id/documents",
            Self::Consent => "/digital-id/consent",
            Self::Agreement => "/apply/agreement",
            Self::ApplicationForm => "/apply/form",
            Self::Submitted => "/apply/submitted",
        }
    }
}

/// What the applicant has typed but not sent yet, so a reload loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: Option<ApplicantKind>,
    pub template: Option<Template>,
    pub bin: String,
    pub iin: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum Wizard {
    /// Nothing done yet: the webcam check comes first.
    #[default]
    Start,
    /// The webcam works; the applicant chooses the template and types BIN and IIN.
    CameraChecked { draft: Draft },
    /// A code was sent to the phone registered for this request.
    CodeSent {
        request: PhoneCheckRequest,
        check: PhoneCheckStarted,
        /// When the code expires, in the browser's clock (ms since the epoch).
        expires_at_ms: f64,
    },
    /// The phone is confirmed in the mobile-citizens database.
    PhoneVerified(Applicant),
    /// Digital ID sent its sign-in code to the phone the applicant typed.
    SignInCodeSent {
        applicant: Applicant,
        /// As typed (normalised), for «Отправить код повторно» after a reload.
        phone: String,
        check: PhoneCheckStarted,
        expires_at_ms: f64,
    },
    /// Signed in to Digital ID: «Создать Digital ID» and the selfie come next.
    SignedIn(Member),
    /// The server has the selfie; the video liveness check comes next.
    SelfieTaken(Member),
    /// The live face was checked against the registry photo; the PIN comes next.
    IdentityChecked {
        member: Member,
        outcome: IdentityOutcome,
    },
    /// The PIN is set; the document's photos come next.
    PinSet(Member),
    /// Both sides of the document are with the server; the fields come next.
    PhotosTaken {
        member: Member,
        kind: DocumentKind,
        /// The machine-readable zone as read from the photo, when it could be.
        zone: Option<String>,
    },
    /// The document was submitted: verified at once, or with an operator.
    DocumentSubmitted {
        member: Member,
        document: DocumentView,
    },
    /// The holder let the NCA service have the verified identity.
    Consented {
        member: Member,
        granted: ConsentGranted,
    },
    /// The user agreement is accepted: «Данные онлайн заявки» comes next.
    AgreementAccepted {
        member: Member,
        granted: ConsentGranted,
        /// Keys made and kept, requests not yet answered: a retry sends these again.
        pending: Option<PendingSubmission>,
    },
    /// The application has its number; the keys wait for the certificates.
    Submitted {
        created: ApplicationCreated,
        profile: CertificateProfile,
    },
}

/// A submission whose keys exist: only public requests, never the keys themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSubmission {
    pub request_id: String,
    pub email: Option<String>,
    pub treasury: Option<TreasuryInput>,
    pub authentication_request: String,
    pub signing_request: String,
}

/// An applicant signed in to Digital ID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub applicant: Applicant,
    /// The verified sign-in's id: the Digital ID session the server knows.
    pub session: String,
}

/// Who the applicant is, once the phone is confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    pub request: PhoneCheckRequest,
    pub organisation: Option<String>,
    /// The verified phone check's id: the application's handle on the server.
    pub session: String,
}

impl Wizard {
    /// The furthest step this state may show.
    pub fn current(&self) -> Step {
        match self {
            Self::Start => Step::Webcam,
            Self::CameraChecked { .. } => Step::Applicant,
            Self::CodeSent { .. } => Step::Code,
            Self::PhoneVerified(_) | Self::SignInCodeSent { .. } => Step::SignIn,
            Self::SignedIn(_) => Step::Selfie,
            Self::SelfieTaken(_) => Step::Liveness,
            Self::IdentityChecked { .. } => Step::Pin,
            Self::PinSet(_) => Step::Document,
            Self::PhotosTaken { .. } => Step::ConfirmDocument,
            Self::DocumentSubmitted { .. } => Step::Consent,
            Self::Consented { .. } => Step::Agreement,
            Self::AgreementAccepted { .. } => Step::ApplicationForm,
            Self::Submitted { .. } => Step::Submitted,
        }
    }

    pub fn camera_checked(self) -> Self {
        match self {
            Self::Start => Self::CameraChecked {
                draft: Draft::default(),
            },
            later => later,
        }
    }

    /// A code was sent (first time or again) for `request`; only the form or the code
    /// step can send one.
    pub fn code_sent(
        self,
        request: PhoneCheckRequest,
        check: PhoneCheckStarted,
        now_ms: f64,
    ) -> Self {
        match self {
            Self::CameraChecked { .. } | Self::CodeSent { .. } => Self::CodeSent {
                expires_at_ms: now_ms + check.expires_in_seconds as f64 * 1000.0,
                request,
                check,
            },
            other => other,
        }
    }

    /// The code was right. Only a state with a sent code can be verified.
    pub fn verified(self, organisation: Option<String>) -> Self {
        match self {
            Self::CodeSent { request, check, .. } => Self::PhoneVerified(Applicant {
                request,
                organisation,
                session: check.id,
            }),
            other => other,
        }
    }

    /// The applicant, once known.
    pub fn applicant(&self) -> Option<&Applicant> {
        match self {
            Self::PhoneVerified(applicant) | Self::SignInCodeSent { applicant, .. } => {
                Some(applicant)
            }
            other => other.member().map(|m| &m.applicant),
        }
    }

    /// The Digital ID member, once signed in.
    pub fn member(&self) -> Option<&Member> {
        match self {
            Self::SignedIn(member)
            | Self::SelfieTaken(member)
            | Self::IdentityChecked { member, .. }
            | Self::PinSet(member)
            | Self::PhotosTaken { member, .. }
            | Self::DocumentSubmitted { member, .. }
            | Self::Consented { member, .. }
            | Self::AgreementAccepted { member, .. } => Some(member),
            _ => None,
        }
    }

    /// Digital ID sent a sign-in code (first time or again) to `phone`.
    pub fn sign_in_code_sent(self, phone: String, check: PhoneCheckStarted, now_ms: f64) -> Self {
        match self {
            Self::PhoneVerified(applicant) | Self::SignInCodeSent { applicant, .. } => {
                Self::SignInCodeSent {
                    expires_at_ms: now_ms + check.expires_in_seconds as f64 * 1000.0,
                    applicant,
                    phone,
                    check,
                }
            }
            other => other,
        }
    }

    /// The sign-in code was right: its check is the Digital ID session.
    pub fn signed_in(self) -> Self {
        match self {
            Self::SignInCodeSent {
                applicant, check, ..
            } => Self::SignedIn(Member {
                applicant,
                session: check.id,
            }),
            other => other,
        }
    }

    /// An account that already has a verified document needs no new one: straight to
    /// «Документы».
    pub fn resumed(self, account: &Account) -> Self {
        match (self, &account.document) {
            (Self::SignedIn(member), Some(document))
                if account.pin_set && document.status == DocumentStatus::Verified =>
            {
                Self::DocumentSubmitted {
                    member,
                    document: document.clone(),
                }
            }
            (other, _) => other,
        }
    }

    /// The server accepted a selfie (a retake after the liveness step starts over).
    pub fn selfie_taken(self) -> Self {
        match self {
            Self::SignedIn(member) | Self::SelfieTaken(member) => Self::SelfieTaken(member),
            other => other,
        }
    }

    pub fn identity_checked(self, outcome: IdentityOutcome) -> Self {
        match self {
            Self::SelfieTaken(member) => Self::IdentityChecked { member, outcome },
            other => other,
        }
    }

    pub fn pin_set(self) -> Self {
        match self {
            Self::IdentityChecked { member, .. } => Self::PinSet(member),
            other => other,
        }
    }

    pub fn photos_taken(self, kind: DocumentKind, zone: Option<String>) -> Self {
        match self {
            Self::PinSet(member) | Self::PhotosTaken { member, .. } => {
                Self::PhotosTaken { member, kind, zone }
            }
            other => other,
        }
    }

    /// Back to the photos, e.g. to retake one before submitting, or after a rejection.
    pub fn retake_document(self) -> Self {
        match self {
            Self::PhotosTaken { member, .. } => Self::PinSet(member),
            Self::DocumentSubmitted { member, document }
                if document.status == DocumentStatus::Rejected =>
            {
                Self::PinSet(member)
            }
            other => other,
        }
    }

    /// The document was submitted, or its status changed (an operator decided).
    pub fn document_submitted(self, document: DocumentView) -> Self {
        match self {
            Self::PhotosTaken { member, .. } | Self::DocumentSubmitted { member, .. } => {
                Self::DocumentSubmitted { member, document }
            }
            other => other,
        }
    }

    pub fn consented(self, granted: ConsentGranted) -> Self {
        match self {
            Self::DocumentSubmitted { member, document }
                if document.status == DocumentStatus::Verified =>
            {
                Self::Consented { member, granted }
            }
            other => other,
        }
    }

    /// «Подтвердить» under the user agreement.
    pub fn agreement_accepted(self) -> Self {
        match self {
            Self::Consented { member, granted } => Self::AgreementAccepted {
                member,
                granted,
                pending: None,
            },
            other => other,
        }
    }

    /// Keys were made and kept for this submission.
    pub fn keys_made(self, submission: PendingSubmission) -> Self {
        match self {
            Self::AgreementAccepted {
                member, granted, ..
            } => Self::AgreementAccepted {
                member,
                granted,
                pending: Some(submission),
            },
            other => other,
        }
    }

    /// The server answered the pending submission with a number.
    pub fn submitted(self, created: ApplicationCreated) -> Self {
        match self {
            Self::AgreementAccepted {
                member,
                pending: Some(_),
                ..
            } => Self::Submitted {
                created,
                profile: member.applicant.request.profile,
            },
            other => other,
        }
    }

    /// Back to the form, keeping what was typed, e.g. to correct the IIN.
    pub fn edit(self) -> Self {
        let request = match self {
            Self::Start => return Self::Start,
            Self::CameraChecked { draft } => return Self::CameraChecked { draft },
            Self::CodeSent { request, .. } => request,
            other => match other.applicant() {
                Some(applicant) => applicant.request.clone(),
                None => return Self::Start,
            },
        };
        let draft = Draft {
            kind: Some(request.profile.kind()),
            template: request.profile.template(),
            bin: request.bin.unwrap_or_default(),
            iin: request.iin,
        };
        Self::CameraChecked { draft }
    }

    pub fn draft(&self) -> Draft {
        match self.clone().edit() {
            Self::CameraChecked { draft } => draft,
            _ => Draft::default(),
        }
    }
}

/// The wizard shared by all steps.
#[derive(Clone, Copy)]
pub struct WizardContext(pub RwSignal<Wizard>);

/// Restores the wizard from sessionStorage and saves every change back.
pub fn provide_wizard() {
    let wizard = RwSignal::new(SessionStorage::get::<Wizard>(STORAGE_KEY).unwrap_or_default());
    Effect::new(move |_| {
        // A full storage only costs the resume-after-reload convenience.
        let _ = SessionStorage::set(STORAGE_KEY, wizard.get());
    });
    provide_context(WizardContext(wizard));
}

pub fn use_wizard() -> RwSignal<Wizard> {
    expect_context::<WizardContext>().0
}

/// Sends the user to the step their state allows when they open a later one directly.
pub fn guard(step: Step) -> RwSignal<Wizard> {
    let wizard = use_wizard();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let current = wizard.with(Wizard::current);
        if step > current {
            navigate(
                current.path(),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    wizard
}
