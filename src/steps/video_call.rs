//! «Видеозвонок» (step 5 of the guide): the applicant calls an operator, waits in the
//! queue with his place shown, and talks; the operator registers his phone in the
//! mobile-citizens database while he reads the SMS code aloud. Then he goes back to the
//! step he came from and asks for the code again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::Language;
use qoltanba_domain::call::{CallCreated, CallRequest};
use web_sys::MediaStream;

use crate::api::{self, ApiFailure, Bearer};
use crate::call::{Ending, Line, Phase, Side};
use crate::camera::{self, CameraError};
use crate::components::call_media::CallMedia;
use crate::i18n::{t, use_i18n, I18nLocaleTrait};
use crate::messages;
use crate::wizard::{use_wizard, Wizard};

/// The operator route, open from every step that may need it.
pub const PATH: &str = "/assistant/video-call";

/// What stops a call before it starts.
#[derive(Debug, Clone, PartialEq)]
pub enum CallStartFailure {
    Camera(CameraError),
    Server(ApiFailure),
    Call(crate::call::CallFailure),
}

#[component]
pub fn VideoCall() -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let wizard = use_wizard();
    let back = move || wizard.with(Wizard::current).path();

    let phase = RwSignal::new(None::<Phase>);
    let created = RwSignal::new(None::<CallCreated>);
    let failure = RwSignal::new(None::<CallStartFailure>);
    let local = RwSignal::new_local(None::<MediaStream>);
    let remote = RwSignal::new_local(None::<MediaStream>);
    let line = StoredValue::new_local(None::<Line>);
    // Past the configured wait with no operator: ask whether to keep waiting.
    let waited_long = RwSignal::new(false);
    let wait_timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);

    let release = move || {
        line.set_value(None);
        wait_timer.set_value(None);
        if let Some(stream) = local.get_untracked() {
            camera::stop(&stream);
        }
        local.set(None);
        remote.set(None);
    };
    on_cleanup(release);
    let restart_wait_timer = move |seconds: u32| {
        waited_long.set(false);
        wait_timer.set_value(Some(gloo_timers::callback::Timeout::new(
            seconds.saturating_mul(1000),
            move || waited_long.set(true),
        )));
    };

    let start = move |_| {
        failure.set(None);
        phase.set(Some(Phase::Connecting));
        spawn_local(async move {
            let stream = match camera::open_with_microphone().await {
                Ok(stream) => stream,
                Err(e) => {
                    phase.set(None);
                    failure.set(Some(CallStartFailure::Camera(e)));
                    return;
                }
            };
            let request = CallRequest {
                language: Language::from_code(locale().as_str()),
            };
            let call: CallCreated = match api::post("/api/v1/calls", &request).await {
                Ok(call) => call,
                Err(e) => {
                    camera::stop(&stream);
                    phase.set(None);
                    failure.set(Some(CallStartFailure::Server(e)));
                    return;
                }
            };
            local.set(Some(stream.clone()));
            let wait_seconds = call.wait_seconds;
            let started = Line::start(
                Side::Applicant {
                    ice_servers: call.ice_servers.clone(),
                },
                &format!("/api/v1/calls/{}/signal", call.id),
                Some(&call.token),
                stream,
                move |now| {
                    match now {
                        // The wait counts from joining the queue; a new place in it
                        // does not start it again.
                        Phase::Waiting { .. } => {
                            if wait_timer.with_value(Option::is_none) {
                                restart_wait_timer(wait_seconds);
                            }
                        }
                        Phase::Connecting => {}
                        Phase::Connected { .. } | Phase::Ended(_) => {
                            wait_timer.set_value(None);
                            waited_long.set(false);
                        }
                    }
                    if matches!(now, Phase::Ended(_)) {
                        release();
                    }
                    phase.set(Some(now));
                },
                move |stream| remote.set(Some(stream)),
            );
            created.set(Some(call));
            match started {
                Ok(started) => line.set_value(Some(started)),
                Err(e) => {
                    release();
                    phase.set(None);
                    failure.set(Some(CallStartFailure::Call(e)));
                }
            }
        });
    };
    let hang_up = move |()| {
        if let Some(active) = line.try_update_value(Option::take).flatten() {
            active.hang_up();
        }
        release();
        phase.set(Some(Phase::Ended(Ending::HungUpHere)));
    };
    // Leaving the queue also tells the server, so the others move up at once.
    let leave = move |_| {
        if let Some(call) = created.get_untracked() {
            spawn_local(async move {
                let _ = Bearer(&call.token)
                    .delete::<()>(&format!("/api/v1/calls/{}", call.id))
                    .await;
            });
        }
        hang_up(());
    };
    let keep_waiting = move |_| {
        if let Some(call) = created.get_untracked() {
            restart_wait_timer(call.wait_seconds);
        }
    };
    let in_call = move || {
        matches!(
            phase.get(),
            Some(Phase::Connecting | Phase::Waiting { .. } | Phase::Connected { .. })
        )
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, call.title)}</h1>
            <p class="lead">{t!(i18n, call.lead)}</p>
            <p class="note" id="call-recording">
                {move || match created.get().map(|c| c.recorded) {
                    Some(true) => t!(i18n, call.recorded).into_any(),
                    _ => t!(i18n, call.not_recorded).into_any(),
                }}
            </p>
            <p role="status" aria-live="polite" id="call-status">
                {move || phase.get().map(|p| messages::call_phase(locale(), &p))}
            </p>
            <Show when=move || waited_long.get() && matches!(phase.get(), Some(Phase::Waiting { .. }))>
                <div class="notice" id="call-wait-long" role="alert">
                    <p>{t!(i18n, call.wait_long)}</p>
                    <button type="button" class="primary" id="call-keep-waiting" on:click=keep_waiting>
                        {t!(i18n, call.keep_waiting)}
                    </button>
                </div>
            </Show>
            <Show when=move || !in_call()>
                <button type="button" class="primary" id="call-start" on:click=start>
                    {move || if phase.get().is_some() { t!(i18n, call.call_again).into_any() } else { t!(i18n, call.start).into_any() }}
                </button>
            </Show>
            <Show when=move || matches!(phase.get(), Some(Phase::Waiting { .. } | Phase::Connecting))>
                <button type="button" class="secondary" id="call-leave" on:click=leave>
                    {t!(i18n, call.leave)}
                </button>
            </Show>
            <Show when=move || matches!(phase.get(), Some(Phase::Connected { .. }))>
                <CallMedia local=local remote=remote on_hang_up=hang_up />
            </Show>
            <div role="alert" class="error" id="call-error">
                {move || failure.get().map(|f| messages::call_start(locale(), &f))}
            </div>
            <p>
                <a href=back id="call-back">{t!(i18n, assistant.back)}</a>
            </p>
        </section>
    }
}
