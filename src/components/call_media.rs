//! The call's picture and controls, the same on both sides: the other side's video
//! large, our own small and muted, and mute, camera and «Завершить».

use leptos::html::Video;
use leptos::prelude::*;
use leptos_i18n::td_string;
use web_sys::MediaStream;

use crate::call;
use crate::i18n::{t, use_i18n};

/// Shows `stream` in `video` whenever either changes.
fn show(video: NodeRef<Video>, stream: RwSignal<Option<MediaStream>, LocalStorage>) {
    Effect::new(move |_| {
        if let Some(element) = video.get() {
            stream.with(|s| element.set_src_object(s.as_ref()));
            // Autoplay of a call the user started is allowed; a refusal shows a still.
            let _ = element.play();
        }
    });
}

#[component]
pub fn CallMedia(
    local: RwSignal<Option<MediaStream>, LocalStorage>,
    remote: RwSignal<Option<MediaStream>, LocalStorage>,
    #[prop(into)] on_hang_up: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (remote_video, local_video) = (NodeRef::<Video>::new(), NodeRef::<Video>::new());
    show(remote_video, remote);
    show(local_video, local);
    let microphone = RwSignal::new(true);
    let camera = RwSignal::new(true);
    let toggle = move |kind: &'static str, on: RwSignal<bool>| {
        on.update(|v| *v = !*v);
        local.with_untracked(|s| {
            if let Some(stream) = s {
                call::set_enabled(stream, kind, on.get_untracked());
            }
        });
    };
    view! {
        <div class="call-media">
            <video id="call-remote" class="call-remote" node_ref=remote_video autoplay playsinline
                aria-label=move || td_string!(i18n.get_locale(), call.remote_video)></video>
            <video id="call-local" class="call-local" node_ref=local_video autoplay playsinline muted
                aria-label=move || td_string!(i18n.get_locale(), call.own_video)></video>
        </div>
        <div class="call-controls" role="group" aria-label=move || td_string!(i18n.get_locale(), call.controls)>
            <button type="button" id="call-mute" aria-pressed=move || (!microphone.get()).to_string()
                on:click=move |_| toggle("audio", microphone)>
                {move || if microphone.get() { t!(i18n, call.mute).into_any() } else { t!(i18n, call.unmute).into_any() }}
            </button>
            <button type="button" id="call-camera" aria-pressed=move || (!camera.get()).to_string()
                on:click=move |_| toggle("video", camera)>
                {move || if camera.get() { t!(i18n, call.camera_off).into_any() } else { t!(i18n, call.camera_on).into_any() }}
            </button>
            <button type="button" class="danger" id="call-hang-up" on:click=move |_| on_hang_up.run(())>
                {t!(i18n, call.hang_up)}
            </button>
        </div>
    }
}
