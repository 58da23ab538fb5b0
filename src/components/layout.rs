//! The frame around every step: skip link, header with the language switch, main area,
//! footer (the accessibility statement); the focus moves to each new page's heading.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::assistant::Assistant;
use crate::components::language_switch::LanguageSwitch;
use crate::components::step_focus::focus_heading_on_navigation;
use crate::i18n::{t, use_i18n};
use crate::kiosk::Kiosk;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    focus_heading_on_navigation();
    // The assistant helps applicants; operators at work have no use for it.
    let for_applicants = move || !location.pathname.get().starts_with("/operator");
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href="/">{t!(i18n, app_name)}</a>
            <LanguageSwitch />
        </header>
        <main id="main" class="site-main">{children()}</main>
        <footer class="site-footer">
            <a href=crate::steps::accessibility::PATH id="footer-accessibility">
                {t!(i18n, accessibility.link)}
            </a>
        </footer>
        <Show when=for_applicants>
            <Assistant />
            <Kiosk />
        </Show>
    }
}
