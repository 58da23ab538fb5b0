//! `/key-check`: «Проверка ключа ЭЦП». A `.p12` (opened in the page with its password)
//! or a certificate file; only the certificate goes to the server, which says who it
//! names, what for, until when, by which chain, and whether it is revoked.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::{CertificateCheck, CertificateCheckRequest};
use qoltanba_pki::key_store::{self, OpenError};
use web_sys::{File, HtmlInputElement};

use crate::api::{self, ApiFailure};
use crate::components::key_file::{self, KeyFileProblem};
use crate::i18n::{t, use_i18n};
use crate::messages;

/// Why a check could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckFailure {
    #[error(transparent)]
    File(#[from] KeyFileProblem),
    #[error("the file is neither a key store nor a certificate")]
    NotCertificate,
    #[error(transparent)]
    Server(#[from] ApiFailure),
}

fn is_key_store(file: &File) -> bool {
    let name = file.name().to_ascii_lowercase();
    name.ends_with(".p12") || name.ends_with(".pfx")
}

async fn check(file: &File, password: &str) -> Result<CertificateCheck, CheckFailure> {
    let bytes = key_file::read(file).await?;
    let certificate = if is_key_store(file) {
        key_store::open(&bytes, password)
            .map_err(KeyFileProblem::from)?
            .certificate
    } else {
        qoltanba_pki::parse_certificate(&bytes).map_err(|_| CheckFailure::NotCertificate)?
    };
    let request = CertificateCheckRequest {
        certificate: qoltanba_pki::to_pem(&certificate),
    };
    Ok(api::post("/api/v1/certificate-checks", &request).await?)
}

#[component]
pub fn KeyCheck() -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let file = RwSignal::new_local(None::<File>);
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<CertificateCheck>);
    let failure = RwSignal::new(None::<CheckFailure>);
    let needs_password = move || file.with(|f| f.as_ref().is_some_and(is_key_store));
    let ready = move || {
        !busy.get()
            && file.with(Option::is_some)
            && (!needs_password() || !password.get().is_empty())
    };
    let submit = move || {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        busy.set(true);
        failure.set(None);
        result.set(None);
        spawn_local(async move {
            let answer = check(&chosen, &password.get_untracked()).await;
            busy.set(false);
            password.set(String::new());
            match answer {
                Ok(check) => result.set(Some(check)),
                Err(e) => failure.set(Some(e)),
            }
        });
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, key_check.title)}</h1>
            <p class="lead">{t!(i18n, key_check.lead)}</p>
            <form on:submit=move |ev| { ev.prevent_default(); if ready() { submit() } }>
                <div class="field">
                    <label for="check-file">{t!(i18n, key_check.file)}</label>
                    <input id="check-file" type="file" accept=".p12,.pfx,.cer,.crt,.pem,.der"
                        aria-describedby="check-error"
                        aria-invalid=move || failure.with(|f| matches!(f, Some(CheckFailure::File(_) | CheckFailure::NotCertificate))).to_string()
                        on:change=move |ev| {
                            failure.set(None);
                            result.set(None);
                            file.set(key_file::chosen(&event_target::<HtmlInputElement>(&ev)));
                        } />
                </div>
                <Show when=needs_password>
                    <div class="field">
                        <label for="check-password">{t!(i18n, key_file.password)}</label>
                        <input id="check-password" type="password" autocomplete="off"
                            aria-describedby="check-error"
                            aria-invalid=move || failure.with(|f| matches!(f, Some(CheckFailure::File(KeyFileProblem::Open(OpenError::PasswordOrFile))))).to_string()
                            prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                    </div>
                </Show>
                <button type="submit" class="primary" id="check-submit" disabled=move || !ready()>
                    {t!(i18n, key_check.submit)}
                </button>
            </form>
            <div role="alert" class="error" id="check-error">
                {move || failure.get().map(|e| messages::check_failure(locale(), &e))}
            </div>
            {move || result.get().map(|check| view! { <CheckResult check=check /> })}
        </section>
    }
}

#[component]
fn CheckResult(check: CertificateCheck) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let CertificateCheck {
        serial,
        owner,
        iin,
        organisation,
        bin,
        template,
        purpose,
        key_usage,
        not_before,
        not_after,
        chain,
        standing,
        revoked_at,
        revocation_reason,
    } = check;
    let optional = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    view! {
        <h2 id="check-result-title" tabindex="-1">{t!(i18n, key_check.result_title)}</h2>
        <dl id="check-result" class="profile" aria-labelledby="check-result-title">
            <dt>{t!(i18n, key_check.standing)}</dt>
            <dd data-field="standing" class=messages::standing_class(standing)>
                {move || messages::standing(locale(), standing)}
                {move || revoked_at.map(|at| format!(" ({})", messages::date_time(locale(), at)))}
                {move || revocation_reason.map(|r| format!(": {}", messages::revocation_reason(locale(), r)))}
            </dd>
            <dt>{t!(i18n, key_check.owner)}</dt>
            <dd data-field="owner">{owner}</dd>
            <dt>{t!(i18n, applicant.iin)}</dt>
            <dd data-field="iin">{optional(iin)}</dd>
            <dt>{t!(i18n, key_check.organisation)}</dt>
            <dd data-field="organisation">{optional(organisation)}</dd>
            <dt>{t!(i18n, applicant.bin)}</dt>
            <dd data-field="bin">{optional(bin)}</dd>
            <dt>{t!(i18n, cabinet.role)}</dt>
            <dd data-field="role">
                {move || template.map_or("—", |t| messages::template(locale(), t))}
            </dd>
            <dt>{t!(i18n, key_check.purpose)}</dt>
            <dd data-field="purpose">
                {move || purpose.map_or("—", |p| messages::key_purpose(locale(), p))}
            </dd>
            <dt>{t!(i18n, key_check.key_usage)}</dt>
            <dd data-field="key-usage">{key_usage.join(", ")}</dd>
            <dt>{t!(i18n, key_check.valid_from)}</dt>
            <dd data-field="valid-from">{move || messages::date_time(locale(), not_before)}</dd>
            <dt>{t!(i18n, key_check.valid_until)}</dt>
            <dd data-field="valid-until">{move || messages::date_time(locale(), not_after)}</dd>
            <dt>{t!(i18n, key_check.serial)}</dt>
            <dd data-field="serial">{serial}</dd>
            <dt>{t!(i18n, key_check.chain)}</dt>
            <dd data-field="chain">
                <ol>{chain.into_iter().map(|subject| view! { <li>{subject}</li> }).collect_view()}</ol>
            </dd>
        </dl>
    }
}
