//! Steps 6–7 of the guide: the phone is confirmed; instead of looking for NCALayer the
//! page checks that this browser can make keys itself, then «Перейти к получению ЭЦП».

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{t, use_i18n};
use crate::keys;
use crate::wizard::{guard, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeysCheck {
    Checking,
    Ready,
    Missing,
}

#[component]
pub fn Registered() -> impl IntoView {
    let i18n = use_i18n();
    guard(Step::Registered);
    let check = RwSignal::new(KeysCheck::Checking);
    spawn_local(async move {
        check.set(if keys::browser_can_make_keys().await {
            KeysCheck::Ready
        } else {
            KeysCheck::Missing
        });
    });
    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, registered.done)}</h1>
            <p role="status" id="keys-check" class=move || match check.get() {
                KeysCheck::Checking => "progress",
                KeysCheck::Ready => "success",
                KeysCheck::Missing => "error",
            }>
                {move || match check.get() {
                    KeysCheck::Checking => t!(i18n, registered.keys_checking).into_any(),
                    KeysCheck::Ready => t!(i18n, registered.keys_ok).into_any(),
                    KeysCheck::Missing => t!(i18n, registered.keys_missing).into_any(),
                }}
            </p>
            <a class="button primary" href=Step::SignIn.path()
                aria-disabled=move || (check.get() != KeysCheck::Ready).to_string()>
                {t!(i18n, registered.proceed)}
            </a>
        </section>
    }
}
