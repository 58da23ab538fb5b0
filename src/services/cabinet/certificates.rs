//! «Сертификаты»: the holder's own certificates, or for whoever may confirm, the
//! organisation's; he may revoke an employee's (both certificates of the application go),
//! signing the revocation with his own signing key.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::{HeldCertificate, RevocationRequest};
use qoltanba_domain::revocation::{self, RevocationReason};
use qoltanba_pki::key_store::Opened;
use qoltanba_pki::proof::{self, Statement};

use crate::api::{self, ApiFailure};
use crate::components::reason_select::ReasonSelect;
use crate::i18n::{t, use_i18n};
use crate::messages;

fn revocation_by(
    signer: &Opened,
    target: &HeldCertificate,
    reason: RevocationReason,
) -> RevocationRequest {
    let canonical = revocation::canonical(&target.serial, reason);
    RevocationRequest {
        certificate: target.certificate.clone(),
        reason,
        signer_certificate: Some(qoltanba_pki::to_pem(&signer.certificate)),
        signature: proof::sign(&signer.key, Statement::Revocation(&canonical)),
    }
}

#[component]
pub fn Certificates(
    may_revoke: bool,
    signing: RwSignal<Option<Opened>, LocalStorage>,
    /// Bumped whenever something in the cabinet changed what is listed.
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let certificates = RwSignal::new(Vec::<HeldCertificate>::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    Effect::new(move |_| {
        changed.track();
        spawn_local(async move {
            match api::get::<Vec<HeldCertificate>>("/api/v1/cabinet/certificates").await {
                Ok(list) => certificates.set(list),
                Err(e) => failure.set(Some(e)),
            }
        });
    });
    let target = RwSignal::new(String::new());
    let reason = RwSignal::new(None::<RevocationReason>);
    let busy = RwSignal::new(false);
    let revoked = RwSignal::new(None::<String>);
    let ready = move || {
        !busy.get()
            && reason.get().is_some()
            && !target.get().is_empty()
            && signing.with(Option::is_some)
    };
    let revoke = move || {
        let Some(reason) = reason.get_untracked() else {
            return;
        };
        let number = target.get_untracked();
        let body = certificates.with_untracked(|list| {
            let held = list.iter().find(|c| c.number.as_str() == number)?;
            signing.with_untracked(|s| s.as_ref().map(|signer| revocation_by(signer, held, reason)))
        });
        let Some(body) = body else {
            return;
        };
        busy.set(true);
        failure.set(None);
        revoked.set(None);
        spawn_local(async move {
            let answer: Result<(), _> = api::post("/api/v1/cabinet/revocations", &body).await;
            busy.set(false);
            match answer {
                Ok(()) => {
                    revoked.set(Some(number));
                    target.set(String::new());
                    changed.update(|n| *n += 1);
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let revocable = move || {
        let mut numbers: Vec<(String, String)> = certificates.with(|list| {
            list.iter()
                .filter(|c| c.revoked_at.is_none())
                .map(|c| (c.number.as_str().to_owned(), c.full_name.clone()))
                .collect()
        });
        numbers.dedup();
        numbers
    };

    view! {
        <section aria-labelledby="certificates-title">
            <h2 id="certificates-title">{t!(i18n, cabinet.certificates_title)}</h2>
            <table id="cabinet-certificates">
                <caption class="visually-hidden">{t!(i18n, cabinet.certificates_title)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, cabinet.number)}</th>
                    <th scope="col">{t!(i18n, status.full_name)}</th>
                    <th scope="col">{t!(i18n, cabinet.role)}</th>
                    <th scope="col">{t!(i18n, key_check.purpose)}</th>
                    <th scope="col">{t!(i18n, key_check.serial)}</th>
                    <th scope="col">{t!(i18n, key_check.standing)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || certificates.get() key=|c| (c.serial.clone(), c.revoked_at) let:held>
                        <tr data-serial=held.serial.clone()>
                            <td>{held.number.as_str().to_owned()}</td>
                            <td>{held.full_name.clone()}</td>
                            <td>{move || held.template.map_or("—", |t| messages::template(locale(), t))}</td>
                            <td>{move || messages::key_purpose(locale(), held.purpose)}</td>
                            <td>{held.serial.clone()}</td>
                            <td>{move || match held.revoked_at {
                                Some(at) => format!("{} {}", messages::standing(locale(), qoltanba_domain::api::CertificateStanding::Revoked), messages::date_time(locale(), at)),
                                None => messages::standing(locale(), qoltanba_domain::api::CertificateStanding::Valid).to_owned(),
                            }}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <Show when=move || may_revoke>
                <form class="revoke-employee" on:submit=move |ev| { ev.prevent_default(); if ready() { revoke() } }>
                    <h3>{t!(i18n, cabinet.revoke_title)}</h3>
                    <div class="field">
                        <label for="cabinet-revoke-application">{t!(i18n, cabinet.number)}</label>
                        <select id="cabinet-revoke-application" prop:value=target
                            on:change=move |ev| target.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, cabinet.choose_application)}</option>
                            {move || revocable().into_iter().map(|(number, name)| view! {
                                <option value=number.clone()>{format!("{number} — {name}")}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <ReasonSelect id="cabinet-revoke-reason" reason=reason />
                    <button type="submit" id="cabinet-revoke-submit" disabled=move || !ready()>
                        {t!(i18n, revocation.submit)}
                    </button>
                </form>
            </Show>
            <p role="status" class="success" id="cabinet-revoke-done">
                {move || revoked.get().map(|number| t!(i18n, cabinet.revoked, number))}
            </p>
            <div role="alert" class="error" id="cabinet-certificates-error">
                {move || failure.get().map(|e| messages::api(locale(), &e))}
            </div>
        </section>
    }
}
