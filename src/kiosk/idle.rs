//! After `idle_seconds` without a touch the kiosk asks «Продолжить?» with a countdown;
//! unanswered, it wipes everything the previous person left (`wipe`).

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::KioskSettings;

use super::wipe;
use crate::clock;
use crate::i18n::{t, use_i18n};

#[component]
pub fn IdleGuard(settings: Signal<KioskSettings>) -> impl IntoView {
    let i18n = use_i18n();
    let last_touch = RwSignal::new(js_sys::Date::now());
    let touched = move |_| last_touch.set(js_sys::Date::now());
    let listeners = [
        window_event_listener(ev::pointerdown, touched),
        window_event_listener(ev::keydown, move |_| last_touch.set(js_sys::Date::now())),
        window_event_listener(ev::input, move |_| last_touch.set(js_sys::Date::now())),
    ];
    on_cleanup(move || listeners.into_iter().for_each(|l| l.remove()));
    let now = clock::ticking(1_000);
    let idle_seconds = move || ((now.get() - last_touch.get()) / 1000.0).max(0.0) as u32;
    let seconds_left = move || {
        let KioskSettings {
            idle_seconds: limit,
            countdown_seconds,
        } = settings.get();
        (limit + countdown_seconds).saturating_sub(idle_seconds())
    };
    let asking = move || idle_seconds() >= settings.get().idle_seconds;
    let wiping = RwSignal::new(false);
    Effect::new(move |_| {
        if asking() && seconds_left() == 0 && !wiping.get_untracked() {
            wiping.set(true);
            spawn_local(wipe::wipe());
        }
    });

    view! {
        <Show when=asking>
            <div class="kiosk-idle" id="kiosk-idle" role="alertdialog" aria-modal="true"
                aria-labelledby="kiosk-idle-title" aria-describedby="kiosk-idle-text">
                <h2 id="kiosk-idle-title">{t!(i18n, kiosk.idle_title)}</h2>
                <p id="kiosk-idle-text">{t!(i18n, kiosk.idle_text)}</p>
                // The seconds change every second: shown, not announced each time.
                <p class="kiosk-countdown" aria-hidden="true" id="kiosk-countdown">{seconds_left}</p>
                <button type="button" class="primary" id="kiosk-continue"
                    on:click=move |_| last_touch.set(js_sys::Date::now())>
                    {t!(i18n, kiosk.keep_going)}
                </button>
            </div>
        </Show>
    }
}
