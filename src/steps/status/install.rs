//! «Выпущенные регистрационные свидетельства (сертификаты) по заявке»: the folder with
//! the keys (or this browser), a password checked live against the rule, then
//! «Загрузить сертификаты». Each certificate is matched with its key and written as a
//! PKCS#12 file; the number signed with the new authentication key then tells the
//! server the certificates are installed, and the pending keys are deleted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::td_string;
use qoltanba_domain::api::{ApplicationView, InstallationProof, IssuedCertificates};
use qoltanba_domain::{ApplicationStatus, KeyPurpose, KeyStorePassword, Template};
use qoltanba_pki::proof::Statement;
use qoltanba_pki::{key_store, SigningKey};

use crate::api::{ApiFailure, Bearer};
use crate::applications;
use crate::components::new_password::{self, NewPassword};
use crate::i18n::{t, use_i18n};
use crate::key_store::{folder, Folder, KeyStoreFailure, KeysOrServer, Place};
use crate::messages;

/// Writes both key stores into `place` and proves the installation.
async fn install(
    view: &ApplicationView,
    place: &Place,
    password: &KeyStorePassword,
    saved: RwSignal<Vec<String>>,
) -> Result<ApplicationView, KeysOrServer> {
    let number = view.number.as_str();
    let request_id = match applications::request_id(number) {
        Some(id) => id,
        None => place
            .carried_request(&view.number)
            .await?
            .ok_or(KeyStoreFailure::KeyMissing)?,
    };
    let bearer = Bearer(&request_id);
    let issued: IssuedCertificates = bearer
        .get(&format!("/api/v1/applications/{number}/certificates"))
        .await?;
    let chain = qoltanba_pki::parse_chain(&issued.chain).map_err(|_| ApiFailure::Server)?;
    let mut opened: Vec<(KeyPurpose, String, SigningKey)> = Vec::new();
    for issued in &issued.certificates {
        let certificate = qoltanba_pki::parse_certificate(issued.certificate.as_bytes())
            .map_err(|_| ApiFailure::Server)?;
        let id = qoltanba_pki::subject_key_id(&certificate)
            .map(|ski| qoltanba_pki::hex_upper(&ski))
            .ok_or(ApiFailure::Server)?;
        let key = place.take(issued.purpose, &id).await?;
        let file = crate::keys::timed("qoltanba:pkcs12", || {
            key_store::write(issued.purpose, &key, &certificate, &chain, password)
        })
        .map_err(|_| KeyStoreFailure::KeyMismatch)?;
        place.save(&file).await?;
        saved.update(|s| s.push(file.name.clone()));
        opened.push((issued.purpose, id, key));
    }
    let (_, _, authentication) = opened
        .iter()
        .find(|(purpose, _, _)| *purpose == KeyPurpose::Authentication)
        .ok_or(ApiFailure::Server)?;
    let proof = InstallationProof {
        signature: qoltanba_pki::proof::sign(authentication, Statement::Installed(&view.number)),
    };
    let installed: ApplicationView = bearer
        .put(
            &format!("/api/v1/applications/{number}/installation"),
            &proof,
        )
        .await?;
    // The key stores hold the keys now; the sealed copies and their secrets go.
    for (purpose, id, _) in &opened {
        place.forget(*purpose, id).await?;
    }
    Ok(installed)
}

#[component]
pub fn Install(
    view: ApplicationView,
    #[prop(into)] on_installed: Callback<ApplicationView>,
    /// Not the browser that applied: only keys carried from a kiosk can be installed.
    #[prop(optional)]
    carried_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let installed = view.status == ApplicationStatus::Installed;
    let treasury = view.profile.template() == Some(Template::TreasuryClient);
    let place = RwSignal::new_local(None::<Place>);
    let place_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<KeysOrServer>);
    let saved = RwSignal::new(Vec::<String>::new());
    let valid = move || new_password::chosen(&password.get(), &again.get());
    // Keys a kiosk wrote to removable media open with the passphrase set there.
    let carried = RwSignal::new(carried_only);
    let passphrase = RwSignal::new(String::new());
    let carried_ready = move || {
        !carried.get()
            || (KeyStorePassword::parse(&passphrase.get()).is_ok()
                && place.with(|p| matches!(p, Some(Place::Folder(_)))))
    };
    let ready =
        move || !busy.get() && valid().is_some() && place.with(Option::is_some) && carried_ready();

    let pick = move |_| {
        spawn_local(async move {
            if let Ok(folder) = Folder::pick().await {
                place_name.set(format!(
                    "{} {}",
                    td_string!(locale(), application.folder_chosen),
                    folder.name
                ));
                place.set(Some(Place::Folder(folder)));
            }
        });
    };
    let in_browser = move |_| {
        place_name.set(td_string!(locale(), install.browser_chosen).to_owned());
        place.set(Some(Place::Browser));
    };
    let view_for_install = StoredValue::new(view.clone());
    let start = move || {
        let (Some(password), Some(mut chosen)) = (valid(), place.get_untracked()) else {
            return;
        };
        if let (true, Place::Folder(folder), Ok(passphrase)) = (
            carried.get_untracked(),
            &chosen,
            KeyStorePassword::parse(&passphrase.get_untracked()),
        ) {
            chosen = Place::Carried {
                folder: folder.clone(),
                passphrase,
            };
        }
        let view = view_for_install.get_value();
        busy.set(true);
        failure.set(None);
        saved.set(Vec::new());
        spawn_local(async move {
            let result = install(&view, &chosen, &password, saved).await;
            busy.set(false);
            match result {
                Ok(installed) => on_installed.run(installed),
                Err(e) => failure.set(Some(e)),
            }
        });
    };

    view! {
        <section aria-labelledby="install-title" id="install">
            <h2 id="install-title">{t!(i18n, install.title)}</h2>
            <Show when=move || !installed fallback=move || view! {
                <p class="success" role="status" id="install-done">{t!(i18n, install.installed)}</p>
                <p>{t!(i18n, install.congratulations)}</p>
                <Show when=move || treasury>
                    <p class="notice" id="install-treasury">{t!(i18n, install.treasury_notice)}</p>
                </Show>
            }>
                <form on:submit=move |ev| { ev.prevent_default(); if ready() { start() } }>
                    <fieldset>
                        <legend>{t!(i18n, install.keys)}</legend>
                        <div class="actions">
                            <Show when=folder::available>
                                <button type="button" id="install-pick-folder" on:click=pick>{t!(i18n, install.pick_folder)}</button>
                            </Show>
                            <Show when=move || !carried.get()>
                                <button type="button" id="install-in-browser" on:click=in_browser>{t!(i18n, install.in_browser)}</button>
                            </Show>
                        </div>
                        <p role="status" id="install-place">{move || place_name.get()}</p>
                        <Show when=move || folder::available() && !carried_only>
                            <div class="field checkbox">
                                <input id="install-carried" type="checkbox" prop:checked=carried
                                    on:change=move |ev| carried.set(event_target_checked(&ev)) />
                                <label for="install-carried">{t!(i18n, install.carried)}</label>
                            </div>
                        </Show>
                        <Show when=move || carried.get()>
                            <div class="field">
                                <label for="install-passphrase">{t!(i18n, install.passphrase)}</label>
                                <input id="install-passphrase" type="password" autocomplete="off" maxlength="33"
                                    prop:value=passphrase on:input=move |ev| passphrase.set(event_target_value(&ev)) />
                            </div>
                        </Show>
                    </fieldset>
                    <NewPassword id="install-password"
                        label=Signal::derive(move || td_string!(locale(), install.password))
                        again_label=Signal::derive(move || td_string!(locale(), install.password_again))
                        value=password again=again />
                    <p class="notice" id="install-warning"><strong>{t!(i18n, install.warning)}</strong></p>
                    <button type="submit" class="primary" id="install-submit" disabled=move || !ready()>
                        {move || if busy.get() { td_string!(locale(), install.working) } else { td_string!(locale(), install.submit) }}
                    </button>
                </form>
            </Show>
            <ul id="install-saved" aria-live="polite">
                {move || saved.get().into_iter().map(|name| view! { <li>{td_string!(locale(), install.saved)} " " {name}</li> }).collect::<Vec<_>>()}
            </ul>
            <p role="alert" class="error" id="install-error">
                {move || failure.get().map(|f| messages::keys_or_server(locale(), &f))}
            </p>
        </section>
    }
}
