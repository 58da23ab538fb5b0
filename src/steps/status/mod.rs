//! Step 27, «Проверка статуса заявки»: «Номер заявки» and «Искать», the user's data
//! (masked unless this browser submitted the application), «Таблица статусов
//! заявки», and, once issued, the installation of the certificates.

pub mod install;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use qoltanba_domain::api::ApplicationView;
use qoltanba_domain::{ApplicationNumber, ApplicationStatus, CertificateProfile};

use crate::api::{self, ApiFailure};
use crate::applications;
use crate::i18n::{t, use_i18n};
use crate::messages;

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let navigate = use_navigate();
    let typed = RwSignal::new(params.with_untracked(|p| p.get("number").unwrap_or_default()));
    let view_of = RwSignal::new(None::<ApplicationView>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let busy = RwSignal::new(false);
    let number_error = move || {
        let value = typed.get();
        (!value.is_empty())
            .then(|| ApplicationNumber::parse(&value).err())
            .flatten()
    };
    let load = move |number: String| {
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let path = format!("/api/v1/applications/{number}");
            let answer: Result<ApplicationView, _> = match applications::request_id(&number) {
                Some(id) => api::Bearer(&id).get(&path).await,
                None => api::get(&path).await,
            };
            busy.set(false);
            match answer {
                Ok(view) => view_of.set(Some(view)),
                Err(error) => {
                    view_of.set(None);
                    failure.set(Some(error));
                }
            }
        });
    };
    // The number in the address (a link from «ЗАЯВКА УСПЕШНО СФОРМИРОВАНА!») is looked up at once.
    Effect::new(move |_| {
        if let Some(number) = params.with(|p| p.get("number")) {
            if ApplicationNumber::parse(&number).is_ok() {
                typed.set(number.clone());
                load(number);
            }
        }
    });
    let search = move || {
        let number = typed.get_untracked();
        if ApplicationNumber::parse(&number).is_err() {
            return;
        }
        // The same number again is a refresh; another one gets its own address.
        if params.with_untracked(|p| p.get("number")).as_deref() == Some(number.as_str()) {
            load(number);
        } else {
            navigate(&format!("/status/{number}"), Default::default());
        }
    };
    let locale = move || i18n.get_locale();
    let installed = move |view: ApplicationView| view_of.set(Some(view));

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, status.title)}</h1>
            <form on:submit=move |ev| { ev.prevent_default(); search() }>
                <div class="field">
                    <label for="status-number">{t!(i18n, status.number)}</label>
                    <input id="status-number" type="text" inputmode="numeric" maxlength="15"
                        autocomplete="off" prop:value=typed aria-describedby="status-number-error"
                        aria-invalid=move || number_error().is_some().to_string()
                        on:input=move |ev| typed.set(event_target_value(&ev).trim().to_owned()) />
                    <p class="field-error" id="status-number-error" role="alert">
                        {move || number_error().map(|e| messages::application_number(locale(), e))}
                    </p>
                </div>
                <button type="submit" class="primary" id="status-search"
                    disabled=move || busy.get() || ApplicationNumber::parse(&typed.get()).is_err()>
                    {t!(i18n, status.search)}
                </button>
            </form>
            <p role="alert" class="error" id="status-error">
                {move || failure.get().map(|e| messages::api(locale(), &e))}
            </p>
            {move || view_of.get().map(|view| {
                let l = locale();
                let kind = match view.profile {
                    CertificateProfile::LegalEntity { template } => format!(
                        "{} — {}", td_legal(l), messages::template(l, template)),
                    CertificateProfile::Individual => td_individual(l).to_owned(),
                };
                let history = view.history.iter().map(|change| view! {
                    <tr>
                        <td>{messages::date_time(l, change.at)}</td>
                        <td>
                            {messages::application_status(l, change.status)}
                            {change.reason.clone().map(|reason| format!(": {reason}"))}
                        </td>
                    </tr>
                }).collect::<Vec<_>>();
                let can_install = !view.masked
                    && matches!(view.status, ApplicationStatus::Issued | ApplicationStatus::Installed);
                // Another browser may finish a kiosk's application with the keys and the
                // request id it carried away on a stick.
                let carried_only = view.masked
                    && view.status == ApplicationStatus::Issued
                    && crate::key_store::folder::available();
                view! {
                    <h2>{t!(i18n, status.user_data)}</h2>
                    <dl class="identity" id="status-user">
                        <dt>{t!(i18n, status.kind)}</dt><dd>{kind}</dd>
                        {view.bin.clone().map(|bin| view! { <dt>{t!(i18n, application.bin)}</dt><dd>{bin}</dd> })}
                        {view.organisation.clone().map(|o| view! { <dt>{t!(i18n, application.organisation)}</dt><dd>{o}</dd> })}
                        <dt>{t!(i18n, application.iin)}</dt><dd id="status-iin">{view.iin.clone()}</dd>
                        <dt>{t!(i18n, status.full_name)}</dt><dd id="status-name">{view.full_name.clone()}</dd>
                    </dl>
                    <Show when=move || view.masked>
                        <p class="notice">{t!(i18n, status.masked)}</p>
                    </Show>
                    <h2>{t!(i18n, status.table)}</h2>
                    <table id="status-table">
                        <thead><tr><th scope="col">{t!(i18n, status.changed_at)}</th><th scope="col">{t!(i18n, status.status)}</th></tr></thead>
                        <tbody>{history}</tbody>
                    </table>
                    <p>{t!(i18n, status.current)} " " <strong id="status-current">{messages::application_status(l, view.status)}</strong></p>
                    <Show when=move || can_install || carried_only>
                        <install::Install view=view.clone() on_installed=installed carried_only=carried_only />
                    </Show>
                }
            })}
        </section>
    }
}

fn td_legal(locale: crate::i18n::Locale) -> &'static str {
    leptos_i18n::td_string!(locale, applicant.legal_entity)
}

fn td_individual(locale: crate::i18n::Locale) -> &'static str {
    leptos_i18n::td_string!(locale, applicant.individual)
}
