//! Steps 23–25: «Данные онлайн заявки». The registries' data, read-only; the e-mail
//! (and, for Treasury-Client, the role and the institution's code); «Хранилище
//! ключей» and its folder. «Подать заявку» makes two P-256 key pairs here, keeps them
//! sealed in the chosen place, and sends only their requests.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::td_string;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::{ApplicationCreated, ApplicationSubmission, Language, TreasuryInput};
use qoltanba_domain::{Bin, Email, Iin, InstitutionCode, KeyPurpose, TreasuryRole};
use qoltanba_pki::{Holder, Organisation};

use crate::api;
use crate::components::new_password::{self, NewPassword};
use crate::i18n::{t, use_i18n, I18nLocaleTrait};
use crate::key_store::{folder, Folder, KeyStoreFailure, KeysOrServer, Place};
use crate::kiosk::use_kiosk;
use crate::messages;
use crate::wizard::{guard, PendingSubmission, Step, Wizard};
use crate::{applications, keys};

/// The place chosen for the keys; a folder handle cannot be stored, so after a reload
/// the folder is chosen again (the keys already made stay where they were put).
#[derive(Clone)]
enum Chosen {
    Nothing,
    Folder(Folder),
    Browser,
}

#[component]
pub fn ApplicationForm() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::ApplicationForm);
    let navigate = use_navigate();
    let context = move || match wizard.get() {
        Wizard::AgreementAccepted {
            member,
            granted,
            pending,
        } => Some((member, granted, pending)),
        _ => None,
    };
    let pending = move || context().and_then(|(_, _, p)| p);
    let treasury_asked = move || {
        context().is_some_and(|(m, _, _)| {
            m.applicant
                .request
                .profile
                .template()
                .is_some_and(|t| t.needs_treasury_fields())
        })
    };
    let email = RwSignal::new(pending().and_then(|p| p.email).unwrap_or_default());
    let role = RwSignal::new(pending().and_then(|p| p.treasury.map(|t| t.role)));
    let institution = RwSignal::new(
        pending()
            .and_then(|p| p.treasury.map(|t| t.institution_code))
            .unwrap_or_default(),
    );
    let chosen = RwSignal::new_local(Chosen::Nothing);
    // A kiosk keeps no keys: they go to the applicant's removable media, under a
    // passphrase he sets here.
    let kiosk = use_kiosk();
    let passphrase = RwSignal::new(String::new());
    let passphrase_again = RwSignal::new(String::new());
    let carried = move || new_password::chosen(&passphrase.get(), &passphrase_again.get());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<KeysOrServer>);
    let pick_failed = RwSignal::new(false);

    let email_error = move || {
        let value = email.get();
        (!value.trim().is_empty())
            .then(|| Email::parse(&value).err())
            .flatten()
    };
    let institution_error = move || {
        let value = institution.get();
        (!value.is_empty())
            .then(|| InstitutionCode::parse(&value).err())
            .flatten()
    };
    let treasury = move || -> Option<TreasuryInput> {
        Some(TreasuryInput {
            role: role.get()?,
            institution_code: InstitutionCode::parse(&institution.get()).ok()?.to_string(),
        })
    };
    let place_chosen = move || !matches!(chosen.get(), Chosen::Nothing);
    let ready = move || {
        !busy.get()
            && email_error().is_none()
            && (!treasury_asked() || treasury().is_some())
            && (place_chosen() || pending().is_some())
            // A kiosk writes the application's request id to the stick after submitting,
            // so the stick and its passphrase are needed even for keys already made.
            && (kiosk.get().is_none() || (place_chosen() && carried().is_some()))
    };

    let pick_folder = move |_| {
        spawn_local(async move {
            match Folder::pick().await {
                Ok(folder) => {
                    pick_failed.set(false);
                    chosen.set(Chosen::Folder(folder));
                }
                Err(folder::PickFailure::Cancelled) => {}
                Err(folder::PickFailure::Unavailable) => pick_failed.set(true),
            }
        });
    };

    let submit = move || {
        let Some((member, granted, pending)) = context() else {
            return;
        };
        let email = Some(email.get_untracked().trim().to_owned()).filter(|e| !e.is_empty());
        let treasury = treasury_asked().then(treasury).flatten();
        let place = match chosen.get_untracked() {
            Chosen::Folder(folder) if kiosk.get_untracked().is_some() => {
                carried().map(|passphrase| Place::Carried { folder, passphrase })
            }
            Chosen::Folder(folder) => Some(Place::Folder(folder)),
            Chosen::Browser => Some(Place::Browser),
            Chosen::Nothing => None,
        };
        busy.set(true);
        failure.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            // Keys made for these very fields are sent again; changed fields mean a new
            // DN, so new keys.
            let submission = match pending.filter(|p| p.email == email && p.treasury == treasury) {
                Some(pending) => pending,
                None => {
                    let Some(place) = place.clone() else {
                        busy.set(false);
                        return;
                    };
                    let holder = Holder {
                        surname: granted.identity.surname.clone(),
                        name: granted.identity.name.clone(),
                        patronymic: granted.identity.patronymic.clone(),
                        iin: Iin::parse(&granted.identity.iin).expect("the server's IIN is valid"),
                        organisation: member
                            .applicant
                            .request
                            .bin
                            .as_deref()
                            .and_then(|bin| Bin::parse(bin).ok())
                            .zip(member.applicant.organisation.clone())
                            .map(|(bin, name)| Organisation { name, bin }),
                        email: email.as_deref().and_then(|e| Email::parse(e).ok()),
                    };
                    let made = keys::make(&holder);
                    let kept = async {
                        for (purpose, key) in [
                            (KeyPurpose::Authentication, &made.authentication),
                            (KeyPurpose::Signing, &made.signing),
                        ] {
                            place.keep(purpose, key).await?;
                        }
                        Ok::<_, KeyStoreFailure>(())
                    };
                    if let Err(e) = kept.await {
                        busy.set(false);
                        failure.set(Some(e.into()));
                        return;
                    }
                    let submission = PendingSubmission {
                        request_id: applications::new_request_id(),
                        email: email.clone(),
                        treasury: treasury.clone(),
                        authentication_request: made.authentication_request,
                        signing_request: made.signing_request,
                    };
                    // The keys go out of scope here: only the sealed copies remain.
                    wizard.update(|w| *w = w.clone().keys_made(submission.clone()));
                    submission
                }
            };
            let body = ApplicationSubmission {
                consent: granted.consent.clone(),
                request_id: submission.request_id.clone(),
                email: submission.email.clone(),
                treasury: submission.treasury.clone(),
                authentication_request: submission.authentication_request.clone(),
                signing_request: submission.signing_request.clone(),
                language: Language::from_code(i18n.get_locale_untracked().as_str()),
            };
            let answer: Result<ApplicationCreated, _> =
                api::post("/api/v1/applications", &body).await;
            busy.set(false);
            match answer {
                Ok(created) => {
                    applications::remember(created.number.as_str(), &submission.request_id);
                    if let Some(place) = &place {
                        if let Err(e) = place
                            .carry_request(&created.number, &submission.request_id)
                            .await
                        {
                            failure.set(Some(e.into()));
                            return;
                        }
                    }
                    wizard.update(|w| *w = w.clone().submitted(created));
                    navigate(Step::Submitted.path(), Default::default());
                }
                Err(error) => failure.set(Some(error.into())),
            }
        });
    };

    let locale = move || i18n.get_locale();
    let row = |id: &'static str, label: String, value: String| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="text" readonly prop:value=value />
            </div>
        }
    };
    let data = move || {
        context().map(|(member, granted, _)| {
            let identity = granted.identity;
            let l = locale();
            view! {
                {member.applicant.request.bin.map(|bin| row("form-bin", td_string!(l, application.bin).into(), bin))}
                {member.applicant.organisation.map(|org| row("form-organisation", td_string!(l, application.organisation).into(), org))}
                {row("form-iin", td_string!(l, application.iin).into(), identity.iin)}
                {row("form-surname", td_string!(l, application.surname).into(), identity.surname)}
                {row("form-name", td_string!(l, application.name).into(), identity.name)}
                {row("form-patronymic", td_string!(l, application.patronymic).into(), identity.patronymic.unwrap_or_default())}
            }
        })
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, application.title)}</h1>
            <form on:submit=move |ev| { ev.prevent_default(); if ready() { submit() } }>
                <fieldset>
                    <legend>{t!(i18n, application.data)}</legend>
                    {data}
                    <div class="field">
                        <label for="form-email">{t!(i18n, application.email)}</label>
                        <input id="form-email" type="email" autocomplete="email" inputmode="email"
                            placeholder="example@example.kz" prop:value=email
                            aria-invalid=move || if email_error().is_some() { "true" } else { "false" }
                            aria-describedby="form-email-error"
                            on:input=move |ev| email.set(event_target_value(&ev)) />
                        <p class="field-error" id="form-email-error" role="alert">
                            {move || email_error().map(|e| messages::email(locale(), e))}
                        </p>
                    </div>
                    <Show when=treasury_asked>
                        <div class="field">
                            <label for="form-treasury-role">{t!(i18n, application.treasury_role)}</label>
                            <select id="form-treasury-role"
                                on:change=move |ev| role.set(TreasuryRole::ALL.into_iter().find(|r| r.code() == event_target_value(&ev)))>
                                <option value="" selected=move || role.get().is_none()>{t!(i18n, application.choose)}</option>
                                {TreasuryRole::ALL.map(|r| view! {
                                    <option value=r.code() selected=move || role.get() == Some(r)>
                                        {move || messages::treasury_role(locale(), r)}
                                    </option>
                                }).to_vec()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="form-institution">{t!(i18n, application.institution_code)}</label>
                            <input id="form-institution" type="text" inputmode="numeric" maxlength="9"
                                prop:value=institution aria-describedby="form-institution-error"
                                aria-invalid=move || institution_error().is_some().to_string()
                                on:input=move |ev| institution.set(event_target_value(&ev).trim().to_owned()) />
                            <p class="field-error" id="form-institution-error" role="alert">
                                {move || institution_error().map(|e| messages::institution_code(locale(), e))}
                            </p>
                        </div>
                    </Show>
                </fieldset>
                <fieldset>
                    <legend>{t!(i18n, application.store)}</legend>
                    <p>{t!(i18n, application.store_kind)} " " <strong>{t!(i18n, application.computer)}</strong></p>
                    <Show when=move || kiosk.get().is_some()>
                        <p class="notice" id="form-kiosk-store">{t!(i18n, application.kiosk_store)}</p>
                    </Show>
                    <div class="actions">
                        <Show when=folder::available>
                            <button type="button" id="form-pick-folder" on:click=pick_folder>
                                {move || if kiosk.get().is_some() {
                                    t!(i18n, application.pick_removable).into_any()
                                } else {
                                    t!(i18n, application.pick_folder).into_any()
                                }}
                            </button>
                        </Show>
                        <Show when=move || kiosk.get().is_none()>
                            <button type="button" id="form-keep-in-browser"
                                on:click=move |_| chosen.set(Chosen::Browser)>
                                {t!(i18n, application.keep_in_browser)}
                            </button>
                        </Show>
                    </div>
                    <Show when=move || kiosk.get().is_some()>
                        <NewPassword id="form-passphrase"
                            label=Signal::derive(move || td_string!(locale(), application.passphrase))
                            again_label=Signal::derive(move || td_string!(locale(), application.passphrase_again))
                            value=passphrase again=passphrase_again />
                    </Show>
                    <p id="form-place" role="status">
                        {move || match chosen.get() {
                            Chosen::Folder(f) => format!("{} {}", td_string!(locale(), application.folder_chosen), f.name),
                            Chosen::Browser => td_string!(locale(), application.kept_in_browser).to_owned(),
                            Chosen::Nothing if pending().is_some() => td_string!(locale(), application.keys_made).to_owned(),
                            Chosen::Nothing if !folder::available() => td_string!(locale(), application.no_folder_api).to_owned(),
                            Chosen::Nothing => String::new(),
                        }}
                    </p>
                    <Show when=move || pick_failed.get()>
                        <p class="error" role="alert">{t!(i18n, application.folder_refused)}</p>
                    </Show>
                    <p class="notice">{t!(i18n, application.same_browser)}</p>
                </fieldset>
                <button type="submit" class="primary" id="form-submit" disabled=move || !ready()>
                    {move || if busy.get() { td_string!(locale(), application.making_keys) } else { td_string!(locale(), application.submit) }}
                </button>
            </form>
            <p role="alert" class="error" id="form-error">
                {move || failure.get().map(|f| messages::keys_or_server(locale(), &f))}
            </p>
        </section>
    }
}
