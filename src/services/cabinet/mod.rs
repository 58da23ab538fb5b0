//! `/cabinet`: «Личный кабинет». Signed out, the authentication key store signs the
//! server's challenge; signed in (an HttpOnly cookie), the holder sees who he is, and
//! whoever may confirm for the organisation opens his signing key to decide on the
//! applications waiting for him, and reads the organisation's audit trail.

mod certificates;
mod pending;
mod sign_in;
mod trail;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::td_string;
use qoltanba_domain::api::CabinetProfile;
use qoltanba_pki::key_store::Opened;

use crate::api::{self, ApiFailure};
use crate::components::key_file::KeyFile;
use crate::i18n::{t, use_i18n};
use crate::messages;

pub(crate) const SESSION_API: &str = "/api/v1/cabinet/sessions/current";

/// Where the cabinet's page stands.
#[derive(Debug, Clone, PartialEq)]
enum Session {
    /// Asking the server whether the cookie still holds a session.
    Checking,
    SignedOut,
    SignedIn(CabinetProfile),
}

#[component]
pub fn Cabinet() -> impl IntoView {
    let i18n = use_i18n();
    let session = RwSignal::new(Session::Checking);
    let failure = RwSignal::new(None::<ApiFailure>);
    spawn_local(async move {
        session.set(match api::get::<CabinetProfile>(SESSION_API).await {
            Ok(profile) => Session::SignedIn(profile),
            Err(_) => Session::SignedOut,
        });
    });
    let sign_out = move |_| {
        spawn_local(async move {
            match api::delete::<()>(SESSION_API).await {
                Ok(()) => session.set(Session::SignedOut),
                Err(e) => failure.set(Some(e)),
            }
        });
    };

    view! {
        <section class="step cabinet" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, cabinet.title)}</h1>
            {move || match session.get() {
                Session::Checking => view! {
                    <p role="status">{t!(i18n, cabinet.checking)}</p>
                }.into_any(),
                Session::SignedOut => view! {
                    <sign_in::SignIn on_signed_in=move |profile| session.set(Session::SignedIn(profile)) />
                }.into_any(),
                Session::SignedIn(profile) => view! {
                    <SignedIn profile=profile />
                    <button type="button" id="cabinet-sign-out" on:click=sign_out>
                        {t!(i18n, cabinet.sign_out)}
                    </button>
                }.into_any(),
            }}
            <div role="alert" class="error">
                {move || failure.get().map(|e| messages::api(i18n.get_locale(), &e))}
            </div>
        </section>
    }
}

/// Who is signed in and, for those who may confirm, the signing key, the applications
/// waiting and the trail.
#[component]
fn SignedIn(profile: CabinetProfile) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let signing = RwSignal::new_local(None::<Opened>);
    // A decision or a revocation changes the lists and the trail: they reload on it.
    let changed = RwSignal::new(0u32);
    let template = profile.template;
    let may_confirm = profile.may_confirm;
    view! {
        <dl class="profile" id="cabinet-profile">
            <dt>{t!(i18n, applicant.iin)}</dt>
            <dd>{profile.iin.clone()}</dd>
            {profile.bin.clone().map(|bin| view! {
                <dt>{t!(i18n, applicant.bin)}</dt>
                <dd>{bin}</dd>
            })}
            {template.map(|template| view! {
                <dt>{t!(i18n, cabinet.role)}</dt>
                <dd>{move || messages::template(locale(), template)}</dd>
            })}
        </dl>
        <Show when=move || may_confirm fallback=move || view! {
            <p class="note" id="cabinet-own-only">{t!(i18n, cabinet.own_only)}</p>
        }>
            <section aria-labelledby="signing-title">
                <h2 id="signing-title">{t!(i18n, cabinet.signing_title)}</h2>
                <p class="note">{t!(i18n, cabinet.signing_lead)}</p>
                {move || match signing.with(|s| s.as_ref().map(|o| qoltanba_pki::common_name(&o.certificate))) {
                    Some(owner) => view! {
                        <p role="status" class="success" id="signing-ready">
                            {t!(i18n, cabinet.signing_ready)} " " {owner}
                        </p>
                    }.into_any(),
                    None => view! {
                        <KeyFile id="signing"
                            open_label=Signal::derive(move || td_string!(locale(), cabinet.open_key))
                            on_opened=move |opened| signing.set(Some(opened)) />
                    }.into_any(),
                }}
            </section>
            <pending::Pending signing=signing changed=changed />
        </Show>
        <certificates::Certificates may_revoke=may_confirm signing=signing changed=changed />
        <Show when=move || may_confirm>
            <trail::Trail changed=changed />
        </Show>
    }
}
