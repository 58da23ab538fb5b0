//! `/operator/calls`: applicants waiting for a video call, first in line first; «Ответить»
//! opens the call. The list refreshes itself while the page is open.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::call::WaitingCall;

use super::{call_path, OperatorBar};
use crate::api::{self, ApiFailure};
use crate::i18n::{t, use_i18n};
use crate::messages;

/// Often enough that a caller is seen within seconds, rarely enough to be no load.
const REFRESH_MS: u32 = 3_000;

#[component]
pub fn CallQueue() -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let calls = RwSignal::new(None::<Result<Vec<WaitingCall>, ApiFailure>>);
    let load = move || {
        spawn_local(async move { calls.set(Some(api::get("/api/v1/operator/calls").await)) });
    };
    load();
    let timer =
        StoredValue::new_local(Some(gloo_timers::callback::Interval::new(REFRESH_MS, load)));
    on_cleanup(move || timer.set_value(None));

    let row = move |call: WaitingCall| {
        let href = call_path(&call.id);
        view! {
            <li class="waiting-call" data-call-id=call.id.clone()>
                <span>{move || messages::language_name(locale(), call.language)}</span>
                " · "
                <span>{t!(i18n, calls.position, position = call.position)}</span>
                " · "
                <span>{t!(i18n, calls.waiting_for, minutes = call.waiting_seconds / 60)}</span>
                " "
                <a class="button primary answer" href=href>{t!(i18n, calls.answer)}</a>
            </li>
        }
    };

    view! {
        <OperatorBar />
        <section class="step operator-page" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, calls.title)}</h1>
            <div aria-live="polite">
                {move || match calls.get() {
                    None => view! { <p class="progress">{t!(i18n, operator.loading)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p id="calls-empty">{t!(i18n, calls.empty)}</p> }.into_any()
                    }
                    Some(Ok(list)) => view! {
                        <ul id="calls" class="calls">{list.into_iter().map(row).collect_view()}</ul>
                    }.into_any(),
                    Some(Err(error)) => view! {
                        <p role="alert" class="error" id="calls-error">{messages::api(locale(), &error)}</p>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
