use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, not_found.title)}</h1>
            <a href="/">{t!(i18n, not_found.home)}</a>
        </section>
    }
}
