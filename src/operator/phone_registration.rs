//! The operator's form that registers an applicant's phone in the mobile-citizens
//! database: IIN and phone, a code sent to that phone, the code the applicant reads
//! aloud. The server records who registered it and when.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::call::{
    PhoneRegistrationCode, PhoneRegistrationRequest, PhoneRegistrationStarted,
};
use qoltanba_domain::otp::OTP_LENGTH;
use qoltanba_domain::{Iin, OtpCode, PhoneNumber};

use crate::api::{self, ApiFailure};
use crate::components::field::IdentifierField;
use crate::i18n::{t, use_i18n};
use crate::messages::{self, Invalid};

#[component]
pub fn PhoneRegistration(call: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let iin = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let started = RwSignal::new(None::<PhoneRegistrationStarted>);
    let registered = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let call = StoredValue::new(call);

    let can_send = move || {
        !busy.get() && Iin::parse(&iin.get()).is_ok() && PhoneNumber::parse(&phone.get()).is_ok()
    };
    let can_confirm = move || !busy.get() && OtpCode::parse(&code.get()).is_ok();
    let send_code = move || {
        let request = PhoneRegistrationRequest {
            iin: iin.get_untracked(),
            phone: phone.get_untracked(),
            call: Some(call.get_value()),
        };
        busy.set(true);
        failure.set(None);
        registered.set(None);
        spawn_local(async move {
            let answer = api::post("/api/v1/operator/phone-registrations", &request).await;
            busy.set(false);
            match answer {
                Ok(s) => started.set(Some(s)),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let confirm = move || {
        let Some(registration) = started.get_untracked() else {
            return;
        };
        let body = PhoneRegistrationCode {
            code: code.get_untracked(),
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let path = format!(
                "/api/v1/operator/phone-registrations/{}/confirmation",
                registration.id
            );
            let answer: Result<(), _> = api::post(&path, &body).await;
            busy.set(false);
            code.set(String::new());
            match answer {
                Ok(()) => {
                    registered.set(Some((phone.get_untracked(), iin.get_untracked())));
                    started.set(None);
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };

    view! {
        <section class="phone-registration" aria-labelledby="registration-title">
            <h2 id="registration-title">{t!(i18n, calls.registration_title)}</h2>
            <form on:submit=move |ev| { ev.prevent_default(); if can_send() { send_code() } }>
                <IdentifierField id="registration-iin"
                    label=Signal::derive(move || messages::label_iin(locale()))
                    value=iin on_input=move |v| iin.set(v)
                    check=|v: &str| Iin::parse(v).err().map(Invalid::Iin) />
                <IdentifierField id="registration-phone"
                    label=Signal::derive(move || messages::label_phone(locale()))
                    value=phone on_input=move |v| phone.set(v)
                    check=|v: &str| PhoneNumber::parse(v).err().map(Invalid::Phone)
                    max_length=16 inputmode="tel" />
                <button type="submit" id="registration-send" disabled=move || !can_send()>
                    {t!(i18n, calls.send_code)}
                </button>
            </form>
            <Show when=move || started.with(Option::is_some)>
                <form on:submit=move |ev| { ev.prevent_default(); if can_confirm() { confirm() } }>
                    <p role="status" id="registration-code-sent">{t!(i18n, calls.code_sent)}</p>
                    <IdentifierField id="registration-code"
                        label=Signal::derive(move || messages::label_code(locale()))
                        value=code on_input=move |v| code.set(v)
                        check=|v: &str| OtpCode::parse(v).err().map(Invalid::Code)
                        max_length=OTP_LENGTH />
                    <button type="submit" class="primary" id="registration-confirm" disabled=move || !can_confirm()>
                        {t!(i18n, calls.register)}
                    </button>
                </form>
            </Show>
            <p role="status" class="success" id="registration-done">
                {move || registered.get().map(|(phone, iin)| t!(i18n, calls.registered, phone, iin))}
            </p>
            <div role="alert" class="error" id="registration-error">
                {move || failure.get().map(|e| messages::api(locale(), &e))}
            </div>
        </section>
    }
}
