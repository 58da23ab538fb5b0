//! `/revoke`: «Отзыв ключа ЭЦП». The holder opens the key store of the certificate he
//! revokes and signs the revocation (`domain::revocation::canonical`) with its own key:
//! whoever holds the key may end it, and no one else. Both certificates of the
//! application go; the CRL and OCSP say so at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::td_string;
use qoltanba_domain::api::RevocationRequest;
use qoltanba_domain::revocation::{self, RevocationReason};
use qoltanba_pki::key_store::Opened;
use qoltanba_pki::proof::{self, Statement};

use crate::api::{self, ApiFailure};
use crate::components::key_file::KeyFile;
use crate::components::reason_select::ReasonSelect;
use crate::i18n::{t, use_i18n};
use crate::messages;

fn request(opened: &Opened, reason: RevocationReason) -> RevocationRequest {
    let canonical = revocation::canonical(&qoltanba_pki::serial(&opened.certificate), reason);
    RevocationRequest {
        certificate: qoltanba_pki::to_pem(&opened.certificate),
        reason,
        signer_certificate: None,
        signature: proof::sign(&opened.key, Statement::Revocation(&canonical)),
    }
}

#[component]
pub fn Revocation() -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let opened = RwSignal::new_local(None::<Opened>);
    let reason = RwSignal::new(None::<RevocationReason>);
    let busy = RwSignal::new(false);
    let revoked = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let ready = move || !busy.get() && !revoked.get() && reason.get().is_some();
    let submit = move || {
        let Some(body) = reason
            .get_untracked()
            .and_then(|r| opened.with_untracked(|o| o.as_ref().map(|o| request(o, r))))
        else {
            return;
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let answer: Result<(), _> = api::post("/api/v1/revocations", &body).await;
            busy.set(false);
            match answer {
                Ok(()) => revoked.set(true),
                Err(e) => failure.set(Some(e)),
            }
        });
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, revocation.title)}</h1>
            <p class="lead">{t!(i18n, revocation.lead)}</p>
            {move || match opened.with(|o| o.as_ref().map(|o| (qoltanba_pki::common_name(&o.certificate), qoltanba_pki::serial(&o.certificate)))) {
                None => view! {
                    <KeyFile id="revoke"
                        open_label=Signal::derive(move || td_string!(locale(), cabinet.open_key))
                        on_opened=move |o| opened.set(Some(o)) />
                }.into_any(),
                Some((owner, serial)) => view! {
                    <dl class="profile" id="revoke-certificate">
                        <dt>{t!(i18n, key_check.owner)}</dt>
                        <dd>{owner}</dd>
                        <dt>{t!(i18n, key_check.serial)}</dt>
                        <dd>{serial}</dd>
                    </dl>
                    <form on:submit=move |ev| { ev.prevent_default(); if ready() { submit() } }>
                        <ReasonSelect id="revoke-reason" reason=reason />
                        <p class="notice">{t!(i18n, revocation.irreversible)}</p>
                        <button type="submit" class="primary" id="revoke-submit" disabled=move || !ready()>
                            {t!(i18n, revocation.submit)}
                        </button>
                    </form>
                }.into_any(),
            }}
            <p role="status" class="success" id="revoke-done">
                <Show when=move || revoked.get()>{t!(i18n, revocation.done)}</Show>
            </p>
            <div role="alert" class="error" id="revoke-submit-error">
                {move || failure.get().map(|e| messages::api(locale(), &e))}
            </div>
        </section>
    }
}
