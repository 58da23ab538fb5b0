//! «Виртуальный ассистент» (bottom right of every page): what to do when the phone is
//! not in the mobile-citizens database or no code arrives, in Kazakh or Russian, and
//! the way to the operator's video call.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::i18n::{t, use_i18n, Locale};

#[derive(Clone, Copy)]
struct AssistantOpen(RwSignal<bool>);

pub fn provide_assistant() {
    provide_context(AssistantOpen(RwSignal::new(false)));
}

/// Opens (or closes) the assistant from any step.
pub fn use_assistant() -> RwSignal<bool> {
    expect_context::<AssistantOpen>().0
}

/// Focuses the element with this id once it is drawn.
fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

#[component]
pub fn Assistant() -> impl IntoView {
    let i18n = use_i18n();
    let open = use_assistant();
    let navigate = use_navigate();
    view! {
        <div class="assistant">
            <Show when=move || open.get()>
                <section class="assistant-panel" role="dialog" aria-labelledby="assistant-title"
                    on:keydown=move |ev| if ev.key() == "Escape" {
                        open.set(false);
                        focus_later("assistant-toggle");
                    }>
                    <h2 id="assistant-title" tabindex="-1">{t!(i18n, assistant.open)}</h2>
                    <p>{t!(i18n, assistant.greeting)}</p>
                    <div class="assistant-languages" role="group" aria-labelledby="assistant-title">
                        <button type="button" lang="kk"
                            aria-pressed=move || (i18n.get_locale() == Locale::kk).to_string()
                            on:click=move |_| i18n.set_locale(Locale::kk)>"Қазақша"</button>
                        <button type="button" lang="ru"
                            aria-pressed=move || (i18n.get_locale() == Locale::ru).to_string()
                            on:click=move |_| i18n.set_locale(Locale::ru)>"Русский"</button>
                    </div>
                    <p id="assistant-explain">{t!(i18n, assistant.explain)}</p>
                    <button type="button" class="primary" on:click={
                        let navigate = navigate.clone();
                        move |_| {
                            open.set(false);
                            navigate(crate::steps::video_call::PATH, Default::default());
                        }
                    }>{t!(i18n, assistant.video_call)}</button>
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>
                        {t!(i18n, assistant.close)}
                    </button>
                </section>
            </Show>
            <button type="button" class="assistant-toggle" id="assistant-toggle"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| {
                    open.update(|o| *o = !*o);
                    // Opened from here, the focus goes into the panel (it comes before this
                    // button in the page): Tab then walks through it.
                    if open.get_untracked() {
                        focus_later("assistant-title");
                    }
                }>
                {t!(i18n, assistant.open)}
            </button>
        </div>
    }
}
