//! Step 22: the user agreement of the NCA information system: which personal data is
//! processed and why. «Подтвердить» or «Вернуться на главную страницу».

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::{t, use_i18n};
use crate::wizard::{guard, Step};

#[component]
pub fn Agreement() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Agreement);
    let navigate = use_navigate();
    let accept = move |_| {
        wizard.update(|w| *w = w.clone().agreement_accepted());
        navigate(Step::ApplicationForm.path(), Default::default());
    };
    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, agreement.title)}</h1>
            <div class="agreement" id="agreement-text" tabindex="0" role="document">
                <p>{t!(i18n, agreement.intro)}</p>
                <p>{t!(i18n, agreement.data_heading)}</p>
                <ul>
                    <li>{t!(i18n, agreement.data_names)}</li>
                    <li>{t!(i18n, agreement.data_iin)}</li>
                    <li>{t!(i18n, agreement.data_work)}</li>
                    <li>{t!(i18n, agreement.data_contact)}</li>
                </ul>
                <p>{t!(i18n, agreement.purposes)}</p>
                <p>{t!(i18n, agreement.refusal)}</p>
            </div>
            <div class="actions">
                <button type="button" class="primary" id="agreement-accept" on:click=accept>
                    {t!(i18n, agreement.accept)}
                </button>
                <a href="/" id="agreement-home">{t!(i18n, agreement.home)}</a>
            </div>
        </section>
    }
}
