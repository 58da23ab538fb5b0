//! The operator's pages (moderation of Digital ID documents): sign-in, the queue and a
//! case. Not part of the applicant's wizard: they call `/api/v1/operator/…`, where the
//! server's HttpOnly cookie is the session, so the page itself holds no secret.

pub mod call_desk;
pub mod calls;
pub mod case;
mod phone_registration;
pub mod queue;
pub mod sign_in;
mod words;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use qoltanba_domain::api::OperatorProfile;

use crate::api::{self, ApiFailure};
use crate::i18n::{t, use_i18n};

pub const SIGN_IN_PATH: &str = "/operator";
pub const QUEUE_PATH: &str = "/operator/cases";
pub const CALLS_PATH: &str = "/operator/calls";
const SESSION_API: &str = "/api/v1/operator/sessions/current";

pub fn case_path(id: &str) -> String {
    format!("{QUEUE_PATH}/{id}")
}

pub fn call_path(id: &str) -> String {
    format!("{CALLS_PATH}/{id}")
}

/// Leaves no page behind the sign-in in the history: «Back» must not return to it.
fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// The top of every page behind the sign-in: who is signed in, and «Выйти». Without a
/// session it sends the browser to the sign-in form.
#[component]
fn OperatorBar() -> impl IntoView {
    let i18n = use_i18n();
    let profile = RwSignal::new(None::<OperatorProfile>);
    let navigate = StoredValue::new(use_navigate());
    spawn_local(async move {
        match api::get::<OperatorProfile>(SESSION_API).await {
            Ok(operator) => profile.set(Some(operator)),
            // The session is gone (expired, signed out elsewhere): sign in again.
            Err(ApiFailure::Refused(detail)) if detail.code == "operator_session" => {
                navigate.with_value(|go| go(SIGN_IN_PATH, replace()))
            }
            // Anything else shows where the page's own call fails.
            Err(_) => {}
        }
    });
    let sign_out = move |_| {
        spawn_local(async move {
            // Signed out on the server or not, the form is where the operator goes next.
            let _ = api::delete::<()>(SESSION_API).await;
            navigate.with_value(|go| go(SIGN_IN_PATH, replace()));
        });
    };
    view! {
        <div class="operator-bar">
            <nav aria-label=move || leptos_i18n::td_string!(i18n.get_locale(), calls.nav)>
                <a href=QUEUE_PATH id="nav-cases">{t!(i18n, operator.queue_title)}</a>
                " "
                <a href=CALLS_PATH id="nav-calls">{t!(i18n, calls.title)}</a>
            </nav>
            <span id="operator-name">
                {move || profile.get().map(|p| {
                    t!(i18n, operator.signed_in_as, name = move || p.name.clone())
                })}
            </span>
            <button type="button" class="secondary" id="sign-out" on:click=sign_out>
                {t!(i18n, operator.sign_out)}
            </button>
        </div>
    }
}
