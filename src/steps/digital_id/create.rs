//! Step 9 of the guide: «Создать Digital ID» — the three steps as a progress list
//! («Подтвердите личность», «Задайте PIN-код», «Добавьте документ») and «Начать». A
//! holder whose account already has a verified document goes to «Документы» instead.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::Account;

use crate::api::{ApiFailure, Bearer};
use crate::i18n::{t, use_i18n};
use crate::messages;
use crate::wizard::{guard, Step, Wizard};

#[component]
pub fn CreateDigitalId() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::CreateDigitalId);
    let navigate = StoredValue::new(use_navigate());
    let failure = RwSignal::new(None::<ApiFailure>);
    if let Some(member) = wizard.with_untracked(|w| w.member().cloned()) {
        spawn_local(async move {
            let account: Result<Account, _> = Bearer(&member.session)
                .get("/api/v1/digital-id/account")
                .await;
            match account {
                Ok(account) => {
                    wizard.update(|w| *w = w.clone().resumed(&account));
                    if wizard.with_untracked(|w| matches!(w, Wizard::DocumentSubmitted { .. })) {
                        navigate.with_value(|go| go(Step::Account.path(), Default::default()));
                    }
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    }
    // Done steps of this wizard: the list shows where the applicant is.
    let done = move |step: Step| wizard.with(|w| w.current() > step);
    let item = move |step: Step, label: AnyView| {
        view! {
            <li class=move || if done(step) { "done" } else { "todo" }>
                <span class="visually-hidden">
                    {move || if done(step) { t!(i18n, create.done)().into_any() } else { t!(i18n, create.todo)().into_any() }}
                </span>
                {label}
            </li>
        }
    };
    let next = move || match wizard.with(Wizard::current) {
        step if step >= Step::Selfie => step,
        _ => Step::Selfie,
    };
    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, create.title)}</h1>
            <p>{t!(i18n, create.explain)}</p>
            <ol class="progress-list" id="create-steps">
                // Each part is done once the wizard has gone past its last screen.
                {item(Step::Liveness, t!(i18n, create.identity).into_any())}
                {item(Step::Pin, t!(i18n, create.pin).into_any())}
                {item(Step::ConfirmDocument, t!(i18n, create.document).into_any())}
            </ol>
            <a class="button primary" id="create-start" href=move || next().path()>{t!(i18n, create.start)}</a>
            <p role="alert" class="error">
                {move || failure.get().map(|e| messages::api(i18n.get_locale(), &e))}
            </p>
        </section>
    }
}
