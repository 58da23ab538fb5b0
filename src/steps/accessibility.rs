//! «Заявление о доступности»: the conformance target (WCAG 2.2 AA), how it is checked,
//! what is known not to work for everyone and the way around it, and how to report a
//! problem. Linked from the footer of every page.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

pub const PATH: &str = "/accessibility";

#[component]
pub fn AccessibilityStatement() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="step statement" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, accessibility.title)}</h1>
            <p class="lead">{t!(i18n, accessibility.intro)}</p>

            <h2>{t!(i18n, accessibility.target_title)}</h2>
            <p id="statement-target">{t!(i18n, accessibility.target)}</p>

            <h2>{t!(i18n, accessibility.tested_title)}</h2>
            <ul id="statement-tested">
                <li>{t!(i18n, accessibility.tested_axe)}</li>
                <li>{t!(i18n, accessibility.tested_keyboard)}</li>
                <li>{t!(i18n, accessibility.tested_screen_reader)}</li>
                <li>{t!(i18n, accessibility.tested_display)}</li>
            </ul>

            <h2>{t!(i18n, accessibility.limits_title)}</h2>
            <ul id="statement-limits">
                <li>{t!(i18n, accessibility.limit_face)}</li>
                <li>{t!(i18n, accessibility.limit_document)}</li>
                <li>{t!(i18n, accessibility.limit_speech)}</li>
                <li>{t!(i18n, accessibility.limit_manual)}</li>
            </ul>

            <h2>{t!(i18n, accessibility.report_title)}</h2>
            <p id="statement-report">{t!(i18n, accessibility.report)}</p>
            // The operators answer by video call; a deployment with a mailbox for
            // these reports names it in this text.
            <p><a href=crate::steps::video_call::PATH id="statement-call">{t!(i18n, assistant.video_call)}</a></p>
        </section>
    }
}
