//! Kiosk mode: a public machine, strangers one after another, touch only, no private
//! disk. Turned on by the server (`--kiosk`) or, for trying it, by `?kiosk` in the
//! address. The page stays fullscreen, offers on-screen keypads, a help button that
//! calls an operator, and wipes everything after a while without a touch.

mod fullscreen;
mod idle;
mod keypad;
pub mod wipe;

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::{ClientSettings, KioskSettings};

use crate::api;
use crate::i18n::{t, use_i18n};

/// The address flag, kept for the tab so that every page of the trial stays a kiosk's.
const TRIAL_KEY: &str = "qoltanba.kiosk-trial";

#[derive(Clone, Copy)]
struct KioskContext(RwSignal<Option<KioskSettings>>);

/// The kiosk's settings when this is a kiosk.
pub fn use_kiosk() -> Signal<Option<KioskSettings>> {
    let context = use_context::<KioskContext>().map(|c| c.0);
    Signal::derive(move || context.and_then(|c| c.get()))
}

/// Whether the page was opened with `?kiosk` (now or earlier in this tab).
pub fn is_trial() -> bool {
    let window = web_sys::window();
    let flagged = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|search| {
            search
                .trim_start_matches('?')
                .split('&')
                .any(|pair| pair == "kiosk" || pair.starts_with("kiosk="))
        });
    let storage = window.and_then(|w| w.session_storage().ok().flatten());
    if flagged {
        if let Some(storage) = &storage {
            let _ = storage.set_item(TRIAL_KEY, "1");
        }
    }
    flagged || storage.is_some_and(|s| s.get_item(TRIAL_KEY).ok().flatten().is_some())
}

/// Learns from the server (or the address) whether this is a kiosk.
pub fn provide_kiosk() {
    let settings = RwSignal::new(is_trial().then_some(KioskSettings::TRIAL));
    provide_context(KioskContext(settings));
    spawn_local(async move {
        if let Ok(ClientSettings { kiosk: Some(kiosk) }) =
            api::get::<ClientSettings>("/api/v1/client-settings").await
        {
            settings.set(Some(kiosk));
        }
    });
    Effect::new(move |_| {
        let on = settings.with(Option::is_some);
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.class_list().toggle_with_force("kiosk", on);
        }
    });
}

/// Everything a kiosk adds to each page.
#[component]
pub fn Kiosk() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    view! {
        <Show when=move || kiosk.get().is_some()>
            <a class="button kiosk-help" id="kiosk-help" href=crate::steps::video_call::PATH>
                {t!(i18n, kiosk.help)}
            </a>
            <fullscreen::Fullscreen />
            <idle::IdleGuard settings=Signal::derive(move || kiosk.get().unwrap_or(KioskSettings::TRIAL)) />
            <keypad::Keypad />
        </Show>
    }
}
