//! The kiosk stays fullscreen: entered at the first tap (browsers only allow it in
//! answer to one), and after any exit a full-page prompt asks for the touch that
//! re-enters it.

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

fn is_fullscreen() -> bool {
    document().is_some_and(|d| d.fullscreen_element().is_some())
}

fn enter() {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        // Refused outside a user's gesture; the next touch tries again.
        let _ = root.request_fullscreen();
    }
}

#[component]
pub fn Fullscreen() -> impl IntoView {
    let i18n = use_i18n();
    // Set when fullscreen was left, or refused: then a full-page prompt asks for the tap
    // that enters it (browsers allow it only in answer to one).
    let asking = RwSignal::new(false);
    // One request at a time: a second one while the first is pending is refused.
    let pending = RwSignal::new(false);
    let change = window_event_listener(ev::fullscreenchange, move |_| {
        pending.set(false);
        asking.set(!is_fullscreen())
    });
    let refused = window_event_listener(ev::fullscreenerror, move |_| {
        pending.set(false);
        asking.set(true)
    });
    // On `click`, after the page's own handler: entering fullscreen resizes the page,
    // and on `pointerdown` that moved the button from under the finger.
    let touch = window_event_listener(ev::click, move |_| {
        if !is_fullscreen() && !pending.get_untracked() {
            pending.set(true);
            enter();
        }
    });
    on_cleanup(move || {
        change.remove();
        refused.remove();
        touch.remove();
    });
    view! {
        <Show when=move || asking.get()>
            // Its tap is a click like any other: the listener above answers it.
            <button type="button" class="kiosk-fullscreen" id="kiosk-fullscreen">
                {t!(i18n, kiosk.fullscreen)}
            </button>
        </Show>
    }
}
