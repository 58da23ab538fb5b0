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
            <h1 id="step-title" tabindex="-1">{t!(i18n, service_title)}</h1>
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
            <nav aria-labelledby="services-title">
                <h2 id="services-title">{t!(i18n, landing.services_title)}</h2>
                <ul class="services">
                    <li><a href="/status" id="landing-status">{t!(i18n, status.title)}</a></li>
                    <li><a href="/cabinet" id="landing-cabinet">{t!(i18n, cabinet.title)}</a></li>
                    <li><a href="/key-check" id="landing-key-check">{t!(i18n, key_check.title)}</a></li>
                    <li><a href="/revoke" id="landing-revoke">{t!(i18n, revocation.title)}</a></li>
                </ul>
            </nav>
        </section>
    }
}
