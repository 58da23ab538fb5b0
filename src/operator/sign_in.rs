//! `/operator`: the operators' sign-in form. The answer sets the session cookie; the
//! page keeps nothing but moves on to the queue.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::{OperatorLogin, OperatorProfile};

use super::{QUEUE_PATH, SESSION_API};
use crate::api::{self, ApiFailure};
use crate::i18n::{t, use_i18n};
use crate::messages;

#[component]
pub fn OperatorSignIn() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = StoredValue::new(use_navigate());
    // Signed in already (a reload, a second tab): straight to the queue.
    spawn_local(async move {
        if api::get::<OperatorProfile>(SESSION_API).await.is_ok() {
            navigate.with_value(|go| go(QUEUE_PATH, Default::default()));
        }
    });

    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let ready = move || !busy.get() && !login.get().trim().is_empty() && !password.get().is_empty();
    let submit = move || {
        let request = OperatorLogin {
            login: login.get_untracked(),
            password: password.get_untracked(),
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let answer: Result<OperatorProfile, _> =
                api::post("/api/v1/operator/sessions", &request).await;
            busy.set(false);
            match answer {
                Ok(_) => navigate.with_value(|go| go(QUEUE_PATH, Default::default())),
                Err(error) => {
                    password.set(String::new());
                    failure.set(Some(error));
                }
            }
        });
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, operator.sign_in_title)}</h1>
            <p class="note">{t!(i18n, operator.sign_in_lead)}</p>
            <form class="operator-sign-in" on:submit=move |ev| {
                ev.prevent_default();
                if ready() { submit() }
            }>
                <div class="field">
                    <label for="operator-login">{t!(i18n, operator.login)}</label>
                    <input id="operator-login" name="username" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" required
                        aria-describedby="operator-sign-in-error"
                        aria-invalid=move || failure.with(Option::is_some).to_string()
                        prop:value=login on:input=move |ev| login.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="operator-password">{t!(i18n, operator.password)}</label>
                    <input id="operator-password" name="password" type="password"
                        autocomplete="current-password" required
                        aria-describedby="operator-sign-in-error"
                        aria-invalid=move || failure.with(Option::is_some).to_string()
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="primary" id="operator-sign-in" disabled=move || !ready()>
                    {move || if busy.get() {
                        t!(i18n, operator.signing_in).into_any()
                    } else {
                        t!(i18n, operator.sign_in).into_any()
                    }}
                </button>
            </form>
            <div role="alert" class="error" id="operator-sign-in-error">
                {move || failure.get().map(|e| messages::api(i18n.get_locale(), &e))}
            </div>
        </section>
    }
}
