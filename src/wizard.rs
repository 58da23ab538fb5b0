//! The applicant's wizard as an explicit state machine. Each state holds exactly what
//! that point of the flow knows, the routes show only the steps a state allows, and the
//! state is kept in sessionStorage so a reload resumes where the user was. One-time
//! codes are never part of it.

use gloo_storage::{SessionStorage, Storage};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use qoltanba_domain::api::{IdentityOutcome, PhoneCheckRequest, PhoneCheckStarted};
use qoltanba_domain::{ApplicantKind, Template};
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "qoltanba.wizard";

/// The wizard's screens, in the order of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Webcam,
    Applicant,
    Code,
    Registered,
    Selfie,
    Liveness,
}

impl Step {
    pub fn path(self) -> &'static str {
        match self {
            Self::Webcam => "/apply/webcam",
            Self::Applicant => "/apply/applicant",
            Self::Code => "/apply/code",
            Self::Registered => "/apply/registered",
            Self::Selfie => "/digital-id/selfie",
            Self::Liveness => "/digital-id/liveness",
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
    /// The server has the selfie; the video liveness check comes next.
    SelfieTaken(Applicant),
    /// The live face was checked against the registry photo.
    IdentityChecked {
        applicant: Applicant,
        outcome: IdentityOutcome,
    },
}

/// Who the applicant is, once the phone is confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    pub request: PhoneCheckRequest,
    pub organisation: Option<String>,
    /// The verified phone check's id: the server's handle on this applicant.
    pub session: String,
}

impl Wizard {
    /// The furthest step this state may show.
    pub fn current(&self) -> Step {
        match self {
            Self::Start => Step::Webcam,
            Self::CameraChecked { .. } => Step::Applicant,
            Self::CodeSent { .. } => Step::Code,
            Self::PhoneVerified(_) => Step::Selfie,
            Self::SelfieTaken(_) | Self::IdentityChecked { .. } => Step::Liveness,
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
            Self::PhoneVerified(applicant)
            | Self::SelfieTaken(applicant)
            | Self::IdentityChecked { applicant, .. } => Some(applicant),
            _ => None,
        }
    }

    /// The server accepted a selfie (a retake after the liveness step starts over).
    pub fn selfie_taken(self) -> Self {
        match self {
            Self::PhoneVerified(applicant) | Self::SelfieTaken(applicant) => {
                Self::SelfieTaken(applicant)
            }
            other => other,
        }
    }

    pub fn identity_checked(self, outcome: IdentityOutcome) -> Self {
        match self {
            Self::SelfieTaken(applicant) => Self::IdentityChecked { applicant, outcome },
            other => other,
        }
    }

    /// Back to the form, keeping what was typed, e.g. to correct the IIN.
    pub fn edit(self) -> Self {
        let draft = match self {
            Self::Start => return Self::Start,
            Self::CameraChecked { draft } => draft,
            Self::CodeSent { request, .. }
            | Self::PhoneVerified(Applicant { request, .. })
            | Self::SelfieTaken(Applicant { request, .. })
            | Self::IdentityChecked {
                applicant: Applicant { request, .. },
                ..
            } => Draft {
                kind: Some(request.profile.kind()),
                template: request.profile.template(),
                bin: request.bin.unwrap_or_default(),
                iin: request.iin,
            },
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
