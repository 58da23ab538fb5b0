//! Steps 10–11 of the guide: «Расположите лицо в центре области экрана». The face worker
//! guides the user frame by frame and takes the picture by itself once the face is
//! centred, sized and still; a shutter button does it by hand. Then the preview with
//! «Отправить» / «Попробовать еще раз», and «Продолжить» once the server has it.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::SelfieUpload;
use qoltanba_face::guidance::Guidance;
use qoltanba_face::protocol::Request;

use crate::api::{self, ApiFailure};
use crate::camera::{self, CameraError, LiveCamera};
use crate::components::announce::SettledAnnouncer;
use crate::components::face_camera::FaceCamera;
use crate::face::{self, FaceWorker, Flow, Pump, WorkerState};
use crate::i18n::{t, td_string, use_i18n};
use crate::messages;
use crate::steps::video_call;
use crate::wizard::{guard, Step};

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// The camera is on and the worker guides.
    Framing,
    /// A picture was taken: keep it or take another.
    Preview(String),
    Accepted,
}

#[component]
pub fn Selfie() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Selfie);
    let navigate = use_navigate();
    let worker = StoredValue::new_local(FaceWorker::shared());
    let video = NodeRef::<html::Video>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let camera = StoredValue::new_local(None::<LiveCamera>);
    let pump = StoredValue::new_local(None::<Pump>);
    let phase = RwSignal::new(Phase::Framing);
    let guidance = RwSignal::new(None::<Guidance>);
    let camera_error = RwSignal::new(None::<CameraError>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let sending = RwSignal::new(false);

    let close_camera = move || {
        pump.with_value(|p| p.as_ref().map(Pump::stop));
        camera.set_value(None);
    };
    let take = move |photo: Option<String>| {
        if let Some(photo) = photo {
            close_camera();
            phase.set(Phase::Preview(photo));
        }
    };
    let open_camera = move || {
        phase.set(Phase::Framing);
        guidance.set(None);
        failure.set(None);
        camera::start_into(video, camera, camera_error);
    };
    // Guide once both the camera and the models are there.
    Effect::new(move |_| {
        let ready = worker.with_value(FaceWorker::state) == WorkerState::Ready;
        let framing = phase.get() == Phase::Framing && camera_error.get().is_none();
        let (Some(video), Some(canvas)) = (video.get(), canvas.get()) else {
            return;
        };
        if ready && framing {
            let running = worker.with_value(|w| {
                face::pump(w, Request::Guide, video, canvas, move |report, canvas| {
                    // Only a change is announced: screen readers hear each instruction once.
                    if guidance.get_untracked() != Some(report.guidance) {
                        guidance.set(Some(report.guidance));
                    }
                    if report.capture {
                        take(face::jpeg(canvas));
                        return Flow::Stop;
                    }
                    Flow::Continue
                })
            });
            pump.set_value(Some(running));
        }
    });
    // The camera opens once the video element is in the page: after a client-side
    // navigation the component exists a moment before its elements do.
    Effect::new(move |opened: Option<bool>| {
        if opened == Some(true) {
            return true;
        }
        let mounted = video.get().is_some();
        if mounted {
            open_camera();
        }
        mounted
    });
    on_cleanup(close_camera);

    let shutter = move |_| {
        if let Some(canvas) = canvas.get_untracked() {
            take(face::jpeg(&canvas));
        }
    };
    let send = move |_| {
        let (Phase::Preview(image), Some(member)) = (
            phase.get_untracked(),
            wizard.with_untracked(|w| w.member().cloned()),
        ) else {
            return;
        };
        sending.set(true);
        failure.set(None);
        spawn_local(async move {
            let upload = SelfieUpload {
                session: member.session,
                image,
            };
            let answer: Result<(), _> = api::post("/api/v1/selfies", &upload).await;
            sending.set(false);
            match answer {
                Ok(_) => {
                    wizard.update(|w| *w = w.clone().selfie_taken());
                    phase.set(Phase::Accepted);
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };

    let instruction = move || {
        let locale = i18n.get_locale();
        match (
            camera_error.get(),
            worker.with_value(FaceWorker::state),
            guidance.get(),
        ) {
            (Some(error), _, _) => messages::camera(locale, error).to_owned(),
            (None, WorkerState::Failed, _) => messages::face_unavailable(locale).to_owned(),
            (None, WorkerState::Loading, _) | (None, _, None) => {
                messages::face_loading(locale).to_owned()
            }
            (None, WorkerState::Ready, Some(g)) => messages::guidance(locale, g).to_owned(),
        }
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, selfie.title)}</h1>
            <p>{t!(i18n, selfie.explain)}</p>
            <div hidden=move || phase.get() != Phase::Framing>
                <FaceCamera video canvas />
                // Seen as each frame is judged; heard once a message has held for a moment.
                <p id="face-guidance" class="guidance"
                    data-guidance=move || guidance.get().map(|g| format!("{g:?}"))>
                    {instruction}
                </p>
                <SettledAnnouncer id="face-guidance-announced" message=Signal::derive(instruction) />
                <div class="actions">
                    <button type="button" class="secondary" on:click=shutter
                        disabled=move || camera.with_value(Option::is_none) || camera_error.get().is_some()>
                        {t!(i18n, selfie.shutter)}
                    </button>
                    <Show when=move || camera_error.get().is_some()>
                        <button type="button" class="secondary" on:click=move |_| open_camera()>
                            {t!(i18n, webcam.retry)}
                        </button>
                    </Show>
                    // Without a working camera or models the operator route remains.
                    <Show when=move || camera_error.get().is_some()
                        || worker.with_value(FaceWorker::state) == WorkerState::Failed>
                        <a class="button" href=video_call::PATH>{t!(i18n, face.operator)}</a>
                    </Show>
                </div>
            </div>
            {move || match phase.get() {
                Phase::Framing => ().into_any(),
                Phase::Preview(photo) => view! {
                    <img class="selfie-preview mirrored" src=photo alt=move || td_string!(i18n.get_locale(), selfie.preview_alt) />
                    <div class="actions">
                        <button type="button" class="primary" on:click=send disabled=move || sending.get()>
                            {t!(i18n, selfie.send)}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| open_camera()
                            disabled=move || sending.get()>
                            {t!(i18n, selfie.retake)}
                        </button>
                    </div>
                }
                .into_any(),
                Phase::Accepted => {
                    let navigate = navigate.clone();
                    view! {
                        <p class="success" role="status">{t!(i18n, selfie.accepted)}</p>
                        <button type="button" class="primary"
                            on:click=move |_| navigate(Step::Liveness.path(), Default::default())>
                            {t!(i18n, selfie.proceed)}
                        </button>
                    }
                    .into_any()
                }
            }}
            <p class="error" role="alert">
                {move || failure.get().map(|f| messages::api(i18n.get_locale(), &f))}
            </p>
        </section>
    }
}
