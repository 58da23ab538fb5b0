//! Step 8 of the guide: Digital ID asks for «Мобильный телефон» (the number registered
//! in the mobile-citizens database for this IIN) and «Код из СМС», with «Повторная
//! отправка через mm:ss». The code follows the same rules as the first one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::{
    CodeRequest, DigitalIdSignIn, Language, PhoneCheckStarted, PhoneCheckVerified,
};
use qoltanba_domain::otp::OTP_RESEND_AFTER_SECONDS;
use qoltanba_domain::{OtpCode, PhoneNumber};

use crate::api::{self, ApiFailure};
use crate::clock;
use crate::components::announce::CountdownAnnouncer;
use crate::components::assistant::use_assistant;
use crate::components::field::IdentifierField;
use crate::i18n::{t, td_string, use_i18n, I18nLocaleTrait};
use crate::messages::{self, Invalid};
use crate::wizard::{guard, Step, Wizard};

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::SignIn);
    let navigate = StoredValue::new(use_navigate());
    let assistant = use_assistant();
    let now = clock::ticking(1_000);

    let sent = move || match wizard.get() {
        Wizard::SignInCodeSent {
            check,
            expires_at_ms,
            ..
        } => Some((check, expires_at_ms)),
        _ => None,
    };
    // A new code may be asked for once the previous one has expired.
    let resend_in = move || {
        sent().map_or(0, |(check, expires)| {
            let resend_at =
                expires + (OTP_RESEND_AFTER_SECONDS - check.expires_in_seconds) as f64 * 1000.0;
            clock::seconds_until(resend_at, now.get())
        })
    };
    let phone = RwSignal::new(wizard.with_untracked(|w| match w {
        Wizard::SignInCodeSent { phone, .. } => phone.clone(),
        _ => String::new(),
    }));
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);

    let send_code = move || {
        let (Some(applicant), Ok(number)) = (
            wizard.with_untracked(|w| w.applicant().cloned()),
            PhoneNumber::parse(&phone.get_untracked()),
        ) else {
            return;
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let request = DigitalIdSignIn {
                application: applicant.session,
                phone: number.to_string(),
                language: Language::from_code(i18n.get_locale_untracked().as_str()),
            };
            let answer: Result<PhoneCheckStarted, _> =
                api::post("/api/v1/digital-id/sign-ins", &request).await;
            busy.set(false);
            match answer {
                Ok(check) => wizard.update(|w| {
                    *w = w
                        .clone()
                        .sign_in_code_sent(number.to_string(), check, js_sys::Date::now())
                }),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let verify = move || {
        let (Some((check, _)), Ok(otp)) = (sent(), OtpCode::parse(&code.get_untracked())) else {
            return;
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let path = format!("/api/v1/phone-checks/{}/verification", check.id);
            let request = CodeRequest {
                code: otp.as_str().to_owned(),
            };
            let answer: Result<PhoneCheckVerified, _> = api::post(&path, &request).await;
            busy.set(false);
            code.set(String::new());
            match answer {
                Ok(_) => {
                    wizard.update(|w| *w = w.clone().signed_in());
                    navigate.with_value(|go| go(Step::CreateDigitalId.path(), Default::default()));
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let phone_ok = move || PhoneNumber::parse(&phone.get()).is_ok();
    let code_ok = move || OtpCode::parse(&code.get()).is_ok();

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, sign_in.title)}</h1>
            <p>{t!(i18n, sign_in.explain)}</p>
            <form on:submit=move |ev| { ev.prevent_default(); if phone_ok() && !busy.get() && resend_in() == 0 { send_code() } }>
                <IdentifierField
                    id="phone"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), sign_in.phone))
                    value=phone
                    on_input=move |v| phone.set(v)
                    check=|v: &str| PhoneNumber::parse(v).err().map(Invalid::Phone)
                    max_length=18
                    inputmode="tel"
                />
                <Show when=move || sent().is_none()>
                    <button type="submit" class="primary" id="send-sign-in-code"
                        disabled=move || !phone_ok() || busy.get()>
                        {t!(i18n, sign_in.send)}
                    </button>
                </Show>
            </form>
            <Show when=move || sent().is_some()>
                <p id="sign-in-sent-to">
                    {move || sent().map(|(check, _)| {
                        t!(i18n, otp.sent_to, phone = move || check.phone_masked.clone())
                    })}
                </p>
                <form on:submit=move |ev| { ev.prevent_default(); if code_ok() && !busy.get() { verify() } }>
                    <IdentifierField
                        id="sign-in-code"
                        label=Signal::derive(move || td_string!(i18n.get_locale(), sign_in.code))
                        value=code
                        on_input=move |v| code.set(v)
                        check=|v: &str| OtpCode::parse(v).err().map(Invalid::Code)
                        max_length=5
                    />
                    <button type="submit" class="primary" id="sign-in" disabled=move || !code_ok() || busy.get()>
                        {t!(i18n, sign_in.enter)}
                    </button>
                </form>
                <p class="countdown" role="timer" id="resend-countdown">
                    {move || match resend_in() {
                        0 => None,
                        s => Some(t!(i18n, sign_in.resend_in, time = clock::mm_ss(s))),
                    }}
                </p>
                <Show when=move || resend_in() == 0>
                    <button type="button" class="secondary" id="resend-sign-in-code"
                        on:click=move |_| send_code() disabled=move || busy.get() || !phone_ok()>
                        {t!(i18n, sign_in.resend)}
                    </button>
                </Show>
            </Show>
            // Seen every second; heard when a code is sent and at a few marks.
            <CountdownAnnouncer
                id="resend-announced"
                seconds=Signal::derive(move || sent().map(|_| resend_in()).filter(|&s| s > 0))
                marks=&[60, 30, 10]
                words=move |s: u32| t!(i18n, sign_in.resend_in_spoken, count = move || s)
            />
            <p role="alert" class="error" id="sign-in-error">
                {move || failure.get().map(|e| messages::api(i18n.get_locale(), &e))}
            </p>
            <div class="actions">
                <button type="button" class="link" on:click=move |_| assistant.set(true)>
                    {t!(i18n, otp.not_received)}
                </button>
            </div>
        </section>
    }
}
