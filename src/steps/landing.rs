//! Step 0: «Получить ЭЦП удаленно» — what the service needs, and the way in.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::{t, use_i18n};

#[component]
pub fn Landing() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title">{t!(i18n, service_title)}</h1>
            <p class="lead">{t!(i18n, landing.lead)}</p>
            <h2>{t!(i18n, landing.requirements_title)}</h2>
            <ul class="requirements">
                <li>{t!(i18n, landing.req_citizen)}</li>
                <li>{t!(i18n, landing.req_mobile)}</li>
                <li>{t!(i18n, landing.req_webcam)}</li>
                <li>{t!(i18n, landing.req_document)}</li>
            </ul>
            <p class="note">{t!(i18n, landing.no_plugin)}</p>
            <button
                type="button"
                class="primary"
                on:click=move |_| navigate("/apply/webcam", Default::default())
            >
                {t!(i18n, landing.start)}
            </button>
            <p>
                <a href="/status" id="landing-status">{t!(i18n, status.title)}</a>
            </p>
        </section>
    }
}
