//! Step 4 of the guide: the one-time code from 1414, with «Оставшееся время», attempts
//! left, a lock after too many wrong codes, and a new code once the old one expired.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::{CodeRequest, PhoneCheckStarted, PhoneCheckVerified};
use qoltanba_domain::OtpCode;

use crate::api::{self, ApiFailure};
use crate::clock;
use crate::components::announce::CountdownAnnouncer;
use crate::components::assistant::use_assistant;
use crate::components::field::IdentifierField;
use crate::i18n::{t, use_i18n};
use crate::messages::{self, Invalid};
use crate::wizard::{guard, Step, Wizard};

#[component]
pub fn PhoneCode() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Code);
    let navigate = StoredValue::new(use_navigate());
    let assistant = use_assistant();

    let sent = move || match wizard.get() {
        Wizard::CodeSent {
            request,
            check,
            expires_at_ms,
        } => Some((request, check, expires_at_ms)),
        _ => None,
    };
    // Coming back here after the code was accepted: there is nothing left to enter.
    Effect::new(move |_| {
        if wizard.with(|w| matches!(w, Wizard::PhoneVerified(_))) {
            navigate.with_value(|go| go(Step::Registered.path(), Default::default()));
        }
    });
    let now = clock::ticking(1_000);
    let seconds_left = move || {
        sent().map_or(0, |(_, _, expires)| {
            clock::seconds_until(expires, now.get())
        })
    };
    let expired = move || seconds_left() == 0;

    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);

    let verify = move || {
        let (Some((_, check, _)), Ok(otp)) = (sent(), OtpCode::parse(&code.get_untracked())) else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let path = format!("/api/v1/phone-checks/{}/verification", check.id);
            let answer: Result<PhoneCheckVerified, _> = api::post(
                &path,
                &CodeRequest {
                    code: otp.as_str().to_owned(),
                },
            )
            .await;
            busy.set(false);
            code.set(String::new());
            match answer {
                Ok(verified) => {
                    wizard.update(|w| *w = w.clone().verified(verified.organisation));
                    navigate.with_value(|go| go(Step::Registered.path(), Default::default()));
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let resend = move |_| {
        let Some((request, _, _)) = sent() else {
            return;
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let answer: Result<PhoneCheckStarted, _> =
                api::post("/api/v1/phone-checks", &request).await;
            busy.set(false);
            match answer {
                Ok(check) => {
                    wizard.update(|w| *w = w.clone().code_sent(request, check, js_sys::Date::now()))
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let edit = move |_| {
        wizard.update(|w| *w = w.clone().edit());
        navigate.with_value(|go| go(Step::Applicant.path(), Default::default()));
    };
    let can_check = move || !busy.get() && !expired() && OtpCode::parse(&code.get()).is_ok();

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, otp.title)}</h1>
            <p id="code-sent-to">
                {move || sent().map(|(_, check, _)| {
                    t!(i18n, otp.sent_to, phone = move || check.phone_masked.clone())
                })}
            </p>
            <form on:submit=move |ev| { ev.prevent_default(); if can_check() { verify() } }>
                <IdentifierField
                    id="code"
                    label=Signal::derive(move || messages::label_code(i18n.get_locale()))
                    value=code
                    on_input=move |v| code.set(v)
                    check=|v: &str| OtpCode::parse(v).err().map(Invalid::Code)
                    max_length=5
                />
                // Seen every second; heard when it starts and at a few marks.
                <p class="countdown" role="timer" id="countdown">
                    {move || t!(i18n, otp.remaining, count = move || seconds_left())}
                </p>
                <CountdownAnnouncer
                    id="countdown-announced"
                    seconds=Signal::derive(move || sent().map(|_| seconds_left()).filter(|&s| s > 0))
                    marks=&[60, 30, 10]
                    words=move |s: u32| t!(i18n, otp.remaining, count = move || s)
                />
                <button type="submit" class="primary" disabled=move || !can_check()>
                    {move || if busy.get() { t!(i18n, otp.checking).into_any() } else { t!(i18n, otp.check).into_any() }}
                </button>
            </form>
            <div role="alert" class="error" id="check-error">
                {move || {
                    if expired() && failure.get().is_none() {
                        Some(messages::expired(i18n.get_locale()).to_owned())
                    } else {
                        failure.get().map(|e| messages::api(i18n.get_locale(), &e))
                    }
                }}
            </div>
            <div class="actions">
                <Show when=expired>
                    <button type="button" class="secondary" on:click=resend disabled=move || busy.get()>
                        {t!(i18n, otp.resend)}
                    </button>
                </Show>
                <button type="button" class="link" on:click=move |_| assistant.set(true)>
                    {t!(i18n, otp.not_received)}
                </button>
                <button type="button" class="link" on:click=edit>{t!(i18n, otp.edit)}</button>
            </div>
        </section>
    }
}
