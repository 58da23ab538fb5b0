//! Step 13 of the guide: «Задайте PIN-код» — six digits, typed twice, not one anybody
//! would guess first (the rules are the domain's `Pin::choose`, the server's too).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::PinChoice;
use qoltanba_domain::pin::PIN_LENGTH;
use qoltanba_domain::{Iin, Pin, PinError};

use crate::api::{ApiFailure, Bearer};
use crate::i18n::{t, use_i18n};
use crate::messages;
use crate::wizard::{guard, Step};

#[component]
pub fn SetPin() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Pin);
    let navigate = StoredValue::new(use_navigate());
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let birth_date = move || {
        wizard.with(|w| {
            w.applicant()
                .and_then(|a| Iin::parse(&a.request.iin).ok())
                .map(|iin| iin.birth_date())
        })
    };
    let verdict = move || birth_date().map(|born| Pin::choose(&pin.get(), &again.get(), born));
    // The first PIN is judged on its own as soon as it is complete (digits at once);
    // a mismatch only once the second one is complete too.
    let pin_error = move || {
        let (typed, born) = (pin.get(), birth_date()?);
        let error = Pin::choose(&typed, &typed, born).err()?;
        (typed.len() >= PIN_LENGTH || error == PinError::NotDigits).then_some(error)
    };
    let again_error = move || {
        let (typed, repeated) = (pin.get(), again.get());
        (repeated.len() >= PIN_LENGTH && typed != repeated).then_some(PinError::Mismatch)
    };
    let ready = move || matches!(verdict(), Some(Ok(_))) && !busy.get();
    let submit = move || {
        let Some(member) = wizard.with_untracked(|w| w.member().cloned()) else {
            return;
        };
        busy.set(true);
        failure.set(None);
        let choice = PinChoice {
            pin: pin.get_untracked(),
            again: again.get_untracked(),
        };
        spawn_local(async move {
            let answer: Result<(), _> = Bearer(&member.session)
                .put("/api/v1/digital-id/pin", &choice)
                .await;
            busy.set(false);
            match answer {
                Ok(()) => {
                    wizard.update(|w| *w = w.clone().pin_set());
                    navigate.with_value(|go| go(Step::Document.path(), Default::default()));
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let input =
        move |id: &'static str, value: RwSignal<String>, error: Signal<Option<PinError>>| {
            let error_id = format!("{id}-error");
            view! {
                <input id=id name=id type="password" inputmode="numeric" autocomplete="new-password"
                    maxlength=PIN_LENGTH prop:value=value
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=error_id.clone()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
                <p class="field-error" id=error_id role="alert">
                    {move || error.get().map(|e| messages::pin(i18n.get_locale(), e))}
                </p>
            }
        };
    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, pin.title)}</h1>
            <p>{t!(i18n, pin.explain)}</p>
            <form on:submit=move |ev| { ev.prevent_default(); if ready() { submit() } }>
                <div class="field">
                    <label for="pin">{t!(i18n, pin.pin)}</label>
                    {input("pin", pin, Signal::derive(pin_error))}
                </div>
                <div class="field">
                    <label for="pin-again">{t!(i18n, pin.again)}</label>
                    {input("pin-again", again, Signal::derive(again_error))}
                </div>
                <button type="submit" class="primary" id="set-pin" disabled=move || !ready()>
                    {t!(i18n, pin.submit)}
                </button>
            </form>
            <p role="alert" class="error" id="pin-failure">
                {move || failure.get().map(|e| messages::api(i18n.get_locale(), &e))}
            </p>
        </section>
    }
}
