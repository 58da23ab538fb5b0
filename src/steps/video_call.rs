//! Where «Видеозвонок» leads. The operator's video call is not built yet, and this page
//! says so plainly instead of pretending to ring.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::wizard::{use_wizard, Wizard};

/// The operator route, open from every step that may need it.
pub const PATH: &str = "/assistant/video-call";

#[component]
pub fn VideoCall() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = use_wizard();
    let back = move || wizard.with(Wizard::current).path();
    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, assistant.video_call_title)}</h1>
            <p id="video-call-status">{t!(i18n, assistant.video_call_unavailable)}</p>
            <a href=back>{t!(i18n, assistant.back)}</a>
        </section>
    }
}
