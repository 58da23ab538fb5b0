//! Step 26: «ЗАЯВКА УСПЕШНО СФОРМИРОВАНА!», the number to write down and the two steps
//! that remain. The first head's own application is issued at once: installation is
//! the only step left.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::ApplicationStatus;

use crate::i18n::{t, use_i18n};
use crate::wizard::{guard, Step, Wizard};

#[component]
pub fn Submitted() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Submitted);
    let navigate = use_navigate();
    let created = move || match wizard.get() {
        Wizard::Submitted { created, .. } => Some(created),
        _ => None,
    };
    let number = move || created().map(|c| c.number.to_string()).unwrap_or_default();
    let issued = move || created().is_some_and(|c| c.status == ApplicationStatus::Issued);
    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, submitted.title)}</h1>
            <p role="status">
                {t!(i18n, submitted.number)} " " <strong id="application-number">{number}</strong>
            </p>
            <p class="notice"><strong>{t!(i18n, submitted.write_down)}</strong></p>
            <Show when=issued fallback=move || view! {
                <p>{t!(i18n, submitted.remaining)}</p>
                <ol>
                    <li>{t!(i18n, submitted.step_head)}</li>
                    <li>{t!(i18n, submitted.step_install)}</li>
                </ol>
            }>
                <p id="submitted-issued">{t!(i18n, submitted.issued)}</p>
            </Show>
            <p class="notice">{t!(i18n, submitted.same_browser)}</p>
            <div class="actions">
                <a class="button primary" id="submitted-status" href=move || format!("/status/{}", number())>
                    {t!(i18n, submitted.to_status)}
                </a>
                // The number stays known to the status page; the wizard starts afresh.
                <button type="button" id="submitted-new" on:click=move |_| {
                    wizard.set(Wizard::Start);
                    navigate(Step::Webcam.path(), Default::default());
                }>
                    {t!(i18n, submitted.new_application)}
                </button>
            </div>
        </section>
    }
}
