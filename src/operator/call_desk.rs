//! `/operator/calls/:id`: the operator's side of a video call. Joining answers it; the
//! applicant's video is large, and the form beside it registers his phone.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use web_sys::MediaStream;

use super::phone_registration::PhoneRegistration;
use super::{OperatorBar, CALLS_PATH};
use crate::call::{Ending, Line, Phase, Side};
use crate::camera;
use crate::components::call_media::CallMedia;
use crate::i18n::{t, use_i18n};
use crate::messages;

#[component]
pub fn CallDesk() -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let phase = RwSignal::new(Some(Phase::Connecting));
    let camera_error = RwSignal::new(None::<camera::CameraError>);
    let local = RwSignal::new_local(None::<MediaStream>);
    let remote = RwSignal::new_local(None::<MediaStream>);
    let line = StoredValue::new_local(None::<Line>);
    let release = move || {
        line.set_value(None);
        if let Some(stream) = local.get_untracked() {
            camera::stop(&stream);
        }
        local.set(None);
        remote.set(None);
    };
    on_cleanup(release);

    let path = format!("/api/v1/operator/calls/{id}/signal");
    spawn_local(async move {
        let stream = match camera::open_with_microphone().await {
            Ok(stream) => stream,
            Err(e) => {
                camera_error.set(Some(e));
                phase.set(None);
                return;
            }
        };
        local.set(Some(stream.clone()));
        let started = Line::start(
            Side::Operator,
            &path,
            None,
            stream,
            move |now| {
                if matches!(now, Phase::Ended(_)) {
                    release();
                }
                phase.set(Some(now));
            },
            move |stream| remote.set(Some(stream)),
        );
        match started {
            Ok(started) => line.set_value(Some(started)),
            Err(e) => {
                release();
                phase.set(Some(Phase::Ended(Ending::Failed(e))));
            }
        }
    });
    let hang_up = move |()| {
        if let Some(active) = line.try_update_value(Option::take).flatten() {
            active.hang_up();
        }
        release();
        phase.set(Some(Phase::Ended(Ending::HungUpHere)));
    };
    let call = id.clone();

    view! {
        <OperatorBar />
        <section class="step operator-page" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, calls.desk_title)}</h1>
            <p class="note">{t!(i18n, call.not_recorded)}</p>
            <p role="status" aria-live="polite" id="call-status">
                {move || phase.get().map(|p| messages::call_phase(locale(), &p))}
            </p>
            <div role="alert" class="error" id="call-error">
                {move || camera_error.get().map(|e| messages::camera(locale(), e))}
            </div>
            <Show when=move || matches!(phase.get(), Some(Phase::Connected { .. }))>
                <CallMedia local=local remote=remote on_hang_up=hang_up />
            </Show>
            <Show when=move || matches!(phase.get(), Some(Phase::Ended(_)) | None)>
                <a href=CALLS_PATH id="call-back-to-queue">{t!(i18n, calls.back_to_queue)}</a>
            </Show>
            <PhoneRegistration call=call.clone() />
        </section>
    }
}
