//! Steps 12–13 of the guide: video identification. «Начать» asks the server for a fresh
//! challenge (a random order of movements with a deadline); the face worker follows the
//! user's movements and the page shows one instruction at a time with the time left.
//! The frames where each movement was seen go to the server, which checks them again
//! with the same detector and compares the face with the selfie and the registry photo.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::{
    IdentityOutcome, LivenessChallenge, LivenessChallengeRequest, LivenessFrame, LivenessResult,
    LivenessSubmission,
};
use qoltanba_face::liveness::{Failure, Progress};
use qoltanba_face::protocol::{FrameReport, Request};
use web_sys::HtmlCanvasElement;

use crate::api::{self, ApiFailure};
use crate::camera::{CameraError, LiveCamera};
use crate::clock;
use crate::components::announce::CountdownAnnouncer;
use crate::components::face_camera::FaceCamera;
use crate::face::{self, FaceWorker, Flow, Pump, WorkerState};
use crate::i18n::{t, td_string, use_i18n};
use crate::messages;
use crate::speech;
use crate::steps::video_call;
use crate::wizard::{guard, Step, Wizard};

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Intro,
    Following {
        challenge: LivenessChallenge,
        progress: Progress,
        /// When the deadline passes, in the page's clock (ms since the epoch).
        deadline_at: f64,
    },
    /// The key frames are with the server.
    Checking,
    /// The page saw the challenge fail; another may be started.
    Failed(Failure),
    /// The server refused (wrong movements on its check, a lock, no connection).
    Refused(ApiFailure),
    Camera(CameraError),
}

/// Keeps the frame the worker judged whenever the challenge moves on: the baseline,
/// each movement's peak and each return. These are what the server re-checks.
#[derive(Default)]
struct KeyFrames {
    last: Option<Progress>,
    frames: Vec<LivenessFrame>,
}

impl KeyFrames {
    fn observe(&mut self, report: &FrameReport, canvas: &HtmlCanvasElement) {
        let (Some(progress), Some(m)) = (report.liveness, report.measurement) else {
            return;
        };
        let moved_on = self.last != Some(progress)
            && matches!(
                progress,
                Progress::Doing { .. } | Progress::Returning { .. } | Progress::Passed
            );
        self.last = Some(progress);
        if let (true, Some(image)) = (moved_on, face::jpeg(canvas)) {
            self.frames.push(LivenessFrame {
                at_ms: m.at_ms,
                image,
                yaw: m.yaw,
                face_width: m.face_width,
                eye_openness: m.eye_openness,
            });
        }
    }
}

/// Whether the instructions are spoken, remembered in this browser.
const SPEAK_KEY: &str = "qoltanba.speak_instructions";

fn speak_preference() -> bool {
    use gloo_storage::Storage;
    gloo_storage::LocalStorage::get(SPEAK_KEY).unwrap_or(false)
}

fn remember_speak(on: bool) {
    use gloo_storage::Storage;
    let _ = gloo_storage::LocalStorage::set(SPEAK_KEY, on);
}

#[component]
pub fn Liveness() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Liveness);
    let navigate = StoredValue::new(use_navigate());
    let worker = StoredValue::new_local(FaceWorker::shared());
    let video = NodeRef::<html::Video>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let camera = StoredValue::new_local(None::<LiveCamera>);
    let pump = StoredValue::new_local(None::<Pump>);
    let phase = RwSignal::new(Phase::Intro);
    let now = clock::ticking(250);

    let stop = move || {
        pump.with_value(|p| p.as_ref().map(Pump::stop));
        camera.set_value(None);
    };
    on_cleanup(stop);

    let submit = move |challenge: LivenessChallenge, frames: Vec<LivenessFrame>| {
        phase.set(Phase::Checking);
        spawn_local(async move {
            let path = format!("/api/v1/liveness-challenges/{}/submission", challenge.id);
            let answer: Result<LivenessResult, _> =
                api::post(&path, &LivenessSubmission { frames }).await;
            match answer {
                Ok(result) => {
                    wizard.update(|w| *w = w.clone().identity_checked(result.outcome));
                }
                Err(error) => phase.set(Phase::Refused(error)),
            }
        });
    };

    let follow = move |challenge: LivenessChallenge, live: LiveCamera| {
        camera.set_value(Some(live));
        let (Some(video), Some(canvas)) = (video.get_untracked(), canvas.get_untracked()) else {
            return;
        };
        let deadline_ms = f64::from(challenge.deadline_seconds) * 1000.0;
        phase.set(Phase::Following {
            challenge: challenge.clone(),
            progress: Progress::Calibrating,
            deadline_at: js_sys::Date::now() + deadline_ms,
        });
        let mode = Request::Liveness {
            actions: challenge.actions.clone(),
            deadline_ms,
        };
        let key_frames = Rc::new(RefCell::new(KeyFrames::default()));
        let running = worker.with_value(|w| {
            face::pump(w, mode, video, canvas, move |report, canvas| {
                key_frames.borrow_mut().observe(report, canvas);
                let Some(progress) = report.liveness else {
                    return Flow::Continue;
                };
                phase.update(|p| {
                    if let Phase::Following {
                        progress: shown, ..
                    } = p
                    {
                        *shown = progress;
                    }
                });
                match progress {
                    Progress::Passed => {
                        stop();
                        submit(
                            challenge.clone(),
                            std::mem::take(&mut key_frames.borrow_mut().frames),
                        );
                        Flow::Stop
                    }
                    Progress::Failed(failure) => {
                        stop();
                        phase.set(Phase::Failed(failure));
                        Flow::Stop
                    }
                    _ => Flow::Continue,
                }
            })
        });
        pump.set_value(Some(running));
    };

    // «Начать»: the challenge and the camera together, so the first movement is asked
    // for as soon as the picture is there.
    let start = move |_| {
        let Some(member) = wizard.with_untracked(|w| w.member().cloned()) else {
            return;
        };
        let Some(element) = video.get_untracked() else {
            return;
        };
        phase.set(Phase::Checking);
        spawn_local(async move {
            let request = LivenessChallengeRequest {
                session: member.session,
            };
            let challenge: Result<LivenessChallenge, _> =
                api::post("/api/v1/liveness-challenges", &request).await;
            let challenge = match challenge {
                Ok(challenge) => challenge,
                Err(error) => return phase.set(Phase::Refused(error)),
            };
            match LiveCamera::start(element).await {
                Ok(live) => follow(challenge, live),
                Err(error) => phase.set(Phase::Camera(error)),
            }
        });
    };

    let outcome = move || match wizard.get() {
        Wizard::IdentityChecked { outcome, .. } => Some(outcome),
        _ => None,
    };
    let following = move || matches!(phase.get(), Phase::Following { .. });
    let ready = move || worker.with_value(FaceWorker::state) == WorkerState::Ready;
    let status = move || {
        let locale = i18n.get_locale();
        match phase.get() {
            Phase::Intro if worker.with_value(FaceWorker::state) == WorkerState::Failed => {
                messages::face_unavailable(locale).to_owned()
            }
            Phase::Intro if !ready() => messages::face_loading(locale).to_owned(),
            Phase::Intro => String::new(),
            Phase::Following { progress, .. } => {
                messages::liveness_progress(locale, progress).to_owned()
            }
            Phase::Checking => messages::liveness_progress(locale, Progress::Passed).to_owned(),
            Phase::Failed(failure) => messages::liveness_failure(locale, failure).to_owned(),
            Phase::Refused(error) => messages::api(locale, &error),
            Phase::Camera(error) => messages::camera(locale, error).to_owned(),
        }
    };
    let step_of = move || match phase.get() {
        Phase::Following {
            challenge,
            progress: Progress::Doing { index, .. } | Progress::Returning { next: index },
            ..
        } => Some((
            index.min(challenge.actions.len() - 1) + 1,
            challenge.actions.len(),
        )),
        _ => None,
    };
    let seconds_left = move || match phase.get() {
        Phase::Following { deadline_at, .. } => Some(clock::seconds_until(deadline_at, now.get())),
        _ => None,
    };
    let operator =
        move || matches!(phase.get(), Phase::Refused(ref e) if messages::needs_operator(e));

    // «Озвучивать подсказки»: each new instruction (and the verdict) read aloud once.
    let speak = RwSignal::new(speak_preference());
    let spoken_text = move || match outcome() {
        Some(IdentityOutcome::Verified) => {
            td_string!(i18n.get_locale(), liveness.verified).to_owned()
        }
        Some(IdentityOutcome::Moderation) => {
            td_string!(i18n.get_locale(), liveness.moderation).to_owned()
        }
        None if phase.with(|p| *p == Phase::Intro) => String::new(),
        None => status(),
    };
    Effect::new(move |said: Option<String>| {
        if !speak.get() {
            return String::new();
        }
        let text = spoken_text();
        if !text.is_empty() && said.as_deref() != Some(text.as_str()) {
            speech::say(&text, i18n.get_locale_untracked());
        }
        text
    });

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, liveness.title)}</h1>
            <Show when=move || outcome().is_none()>
                <p>{t!(i18n, liveness.explain)}</p>
                <div class="field checkbox">
                    <input type="checkbox" id="liveness-speak" aria-describedby="liveness-speak-hint"
                        prop:checked=speak
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            if on {
                                speech::prepare();
                            }
                            remember_speak(on);
                            speak.set(on);
                        } />
                    <label for="liveness-speak">{t!(i18n, liveness.speak)}</label>
                    <p class="hint" id="liveness-speak-hint">{t!(i18n, liveness.speak_hint)}</p>
                </div>
                <div hidden=move || !following()>
                    <FaceCamera video canvas />
                </div>
                <p class="liveness-step" hidden=move || step_of().is_none()>
                    {move || step_of().map(|(n, of)| t!(i18n, liveness.step_of, n = n, of = of)())}
                    " · "
                    // Seen every moment; heard when it starts and at a few marks.
                    <span id="liveness-countdown" role="timer">
                        {move || seconds_left().map(|s| t!(i18n, liveness.seconds_left, seconds = s)())}
                    </span>
                </p>
                <CountdownAnnouncer
                    id="liveness-countdown-announced"
                    seconds=Signal::derive(move || seconds_left().filter(|&s| s > 0))
                    marks=&[30, 10]
                    words=move |s: u32| t!(i18n, otp.remaining, count = move || s)
                />
                // One instruction at a time, each changing only when the movement does:
                // read politely as it changes, never frame by frame.
                <p id="liveness-status" role="status" aria-live="polite" aria-atomic="true"
                    class=move || match phase.get() {
                        Phase::Failed(_) | Phase::Refused(_) | Phase::Camera(_) => "error",
                        _ => "guidance",
                    }>
                    {status}
                </p>
                <div class="actions">
                    <Show when=move || matches!(phase.get(), Phase::Intro | Phase::Failed(_) | Phase::Refused(_) | Phase::Camera(_)) && !operator()>
                        <button type="button" class="primary" on:click=start disabled=move || !ready()>
                            {move || if phase.get() == Phase::Intro {
                                t!(i18n, liveness.start)().into_any()
                            } else {
                                t!(i18n, liveness.again)().into_any()
                            }}
                        </button>
                    </Show>
                    // The operator route, for anyone who cannot make the movements or has
                    // failed too often: never a dead end.
                    <Show when=move || !following()>
                        <button type="button" class=move || if operator() { "primary" } else { "link" }
                            on:click=move |_| navigate.with_value(|go| go(video_call::PATH, Default::default()))>
                            {t!(i18n, liveness.cannot_move)}
                        </button>
                    </Show>
                </div>
            </Show>
            {move || outcome().map(|outcome| view! {
                {match outcome {
                    IdentityOutcome::Verified => view! {
                        <p id="liveness-result" class="success" role="status">{t!(i18n, liveness.verified)}</p>
                    }.into_any(),
                    IdentityOutcome::Moderation => view! {
                        <p id="liveness-result" class="progress" role="status">{t!(i18n, liveness.moderation)}</p>
                    }.into_any(),
                }}
                <a class="button primary" id="to-pin" href=Step::Pin.path()>{t!(i18n, pin.title)}</a>
            })}
        </section>
    }
}
