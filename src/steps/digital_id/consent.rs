//! Steps 20–21 of the guide: «Сервис Национальный Удостоверяющий Центр РК запрашивает
//! информацию: Удостоверение», «Продолжить», then «Запрос доступа» with the Digital ID
//! PIN. Wrong PINs are counted and lock; the verified identity then goes to the
//! application.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::{ConsentGranted, ConsentRequest};
use qoltanba_domain::pin::PIN_LENGTH;
use qoltanba_domain::Pin;

use crate::api::{ApiFailure, Bearer};
use crate::i18n::{t, use_i18n};
use crate::messages;
use crate::wizard::{guard, Step, Wizard};

#[component]
pub fn Consent() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Consent);
    let asked = RwSignal::new(false);
    let pin = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let document = move || match wizard.get() {
        Wizard::DocumentSubmitted { document, .. } => Some(document),
        Wizard::Consented { granted, .. } => Some(granted.identity.document),
        _ => None,
    };
    let granted = move || match wizard.get() {
        Wizard::Consented { granted, .. } => Some(granted),
        _ => None,
    };
    let ready = move || Pin::parse(&pin.get()).is_ok() && !busy.get();
    let submit = move || {
        let Some(member) = wizard.with_untracked(|w| w.member().cloned()) else {
            return;
        };
        let request = ConsentRequest {
            pin: pin.get_untracked(),
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let answer: Result<ConsentGranted, _> = Bearer(&member.session)
                .post("/api/v1/digital-id/consents", &request)
                .await;
            busy.set(false);
            pin.set(String::new());
            match answer {
                Ok(granted) => wizard.update(|w| *w = w.clone().consented(granted)),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let requested = move || document().map(|d| messages::document_kind(i18n.get_locale(), d.kind));

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, consent.title)}</h1>
            <p id="consent-request">{t!(i18n, consent.request)} " " <strong>{requested}</strong></p>
            <Show when=move || granted().is_none()>
                <Show when=move || asked.get() fallback=move || view! {
                    <button type="button" class="primary" id="consent-continue" on:click=move |_| asked.set(true)>
                        {t!(i18n, consent.proceed)}
                    </button>
                }>
                    <form on:submit=move |ev| { ev.prevent_default(); if ready() { submit() } }>
                        <div class="field">
                            <label for="consent-pin">{t!(i18n, consent.pin)}</label>
                            <input id="consent-pin" type="password" inputmode="numeric" autocomplete="off"
                                maxlength=PIN_LENGTH prop:value=pin aria-describedby="consent-error"
                                aria-invalid=move || failure.with(Option::is_some).to_string()
                                on:input=move |ev| pin.set(event_target_value(&ev)) />
                        </div>
                        <button type="submit" class="primary" id="consent-submit" disabled=move || !ready()>
                            {t!(i18n, consent.grant)}
                        </button>
                    </form>
                </Show>
            </Show>
            <p role="alert" class="error" id="consent-error">
                {move || failure.get().map(|e| messages::api(i18n.get_locale(), &e))}
            </p>
            {move || granted().map(|granted| {
                let identity = granted.identity;
                let name = [Some(identity.surname), Some(identity.name), identity.patronymic]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                view! {
                    <p class="success" role="status" id="consent-granted">{t!(i18n, consent.granted)}</p>
                    <dl class="identity">
                        <dt>{t!(i18n, consent.name)}</dt><dd id="identity-name">{name}</dd>
                        <dt>{t!(i18n, consent.iin)}</dt><dd>{identity.iin}</dd>
                    </dl>
                    <p>{t!(i18n, consent.next)}</p>
                    <a class="button primary" id="to-agreement" href="/apply/agreement">
                        {t!(i18n, consent.to_agreement)}
                    </a>
                }
            })}
        </section>
    }
}
