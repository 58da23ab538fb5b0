//! The frame around every step: skip link, header with the language switch, main area.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::assistant::Assistant;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::{t, use_i18n};
use crate::kiosk::Kiosk;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // The assistant helps applicants; operators at work have no use for it.
    let for_applicants = move || !location.pathname.get().starts_with("/operator");
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href="/">{t!(i18n, app_name)}</a>
            <LanguageSwitch />
        </header>
        <main id="main" class="site-main">{children()}</main>
        <Show when=for_applicants>
            <Assistant />
            <Kiosk />
        </Show>
    }
}
