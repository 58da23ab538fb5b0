//! Steps 2–3 of the guide: «Выберите на кого получить услугу», the template, BIN and
//! IIN validated as the user types, and «Отправить запрос» to the mobile-citizens check.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::{Language, PhoneCheckRequest, PhoneCheckStarted};
use qoltanba_domain::{ApplicantKind, Bin, CertificateProfile, Iin, Template};

use crate::api::{self, ApiFailure};
use crate::components::assistant::use_assistant;
use crate::components::field::IdentifierField;
use crate::i18n::{t, use_i18n, I18nLocaleTrait};
use crate::messages;
use crate::wizard::{guard, Step, Wizard};

#[component]
pub fn Applicant() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Applicant);
    let navigate = StoredValue::new(use_navigate());
    let assistant = use_assistant();

    let draft = RwSignal::new(wizard.with_untracked(Wizard::draft));
    // Typing is kept in the wizard's draft, so a reload loses nothing.
    Effect::new(move |_| {
        let current = draft.get();
        wizard.update(|w| {
            if let Wizard::CameraChecked { draft } = w {
                *draft = current;
            }
        });
    });

    let kind = move || draft.with(|d| d.kind);
    let profile = move || match draft.with(|d| (d.kind, d.template)) {
        (Some(ApplicantKind::Individual), _) => Some(CertificateProfile::Individual),
        (Some(ApplicantKind::LegalEntity), Some(template)) => {
            Some(CertificateProfile::LegalEntity { template })
        }
        _ => None,
    };
    let bin = Signal::derive(move || draft.with(|d| d.bin.clone()));
    let iin = Signal::derive(move || draft.with(|d| d.iin.clone()));
    let ready = move || {
        profile().is_some_and(|p| {
            Iin::parse(&iin.get()).is_ok()
                && (p.kind() == ApplicantKind::Individual || Bin::parse(&bin.get()).is_ok())
        })
    };

    let sending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let send = move || {
        let Some(profile) = profile() else { return };
        let request = PhoneCheckRequest {
            profile,
            bin: (profile.kind() == ApplicantKind::LegalEntity).then(|| bin.get_untracked()),
            iin: iin.get_untracked(),
            language: Language::from_code(i18n.get_locale_untracked().as_str()),
        };
        sending.set(true);
        failure.set(None);
        spawn_local(async move {
            let answer: Result<PhoneCheckStarted, _> =
                api::post("/api/v1/phone-checks", &request).await;
            sending.set(false);
            match answer {
                Ok(check) => {
                    wizard
                        .update(|w| *w = w.clone().code_sent(request, check, js_sys::Date::now()));
                    navigate.with_value(|go| go(Step::Code.path(), Default::default()));
                }
                Err(error) => {
                    if messages::needs_operator(&error) {
                        assistant.set(true);
                    }
                    failure.set(Some(error));
                }
            }
        });
    };

    let choose_kind = move |k: ApplicantKind| draft.update(|d| d.kind = Some(k));
    let heading = move || match profile() {
        Some(CertificateProfile::LegalEntity { template }) => Some(
            t!(
                i18n,
                applicant.heading_legal,
                template = move || messages::template(i18n.get_locale(), template)
            )
            .into_any(),
        ),
        Some(CertificateProfile::Individual) => {
            Some(t!(i18n, applicant.heading_individual).into_any())
        }
        None => None,
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, applicant.title)}</h1>
            <fieldset class="choice">
                <legend class="visually-hidden">{t!(i18n, applicant.title)}</legend>
                <label>
                    <input type="radio" name="kind" value="legal_entity"
                        prop:checked=move || kind() == Some(ApplicantKind::LegalEntity)
                        on:change=move |_| choose_kind(ApplicantKind::LegalEntity) />
                    {t!(i18n, applicant.legal_entity)}
                </label>
                <label>
                    <input type="radio" name="kind" value="individual"
                        prop:checked=move || kind() == Some(ApplicantKind::Individual)
                        on:change=move |_| choose_kind(ApplicantKind::Individual) />
                    {t!(i18n, applicant.individual)}
                </label>
            </fieldset>
            <Show when=move || kind() == Some(ApplicantKind::LegalEntity)>
                <fieldset class="choice templates">
                    <legend>{t!(i18n, applicant.template_prompt)}</legend>
                    {Template::ALL
                        .into_iter()
                        .map(|template| view! {
                            <label>
                                <input type="radio" name="template" value=template.code()
                                    prop:checked=move || draft.with(|d| d.template == Some(template))
                                    on:change=move |_| draft.update(|d| d.template = Some(template)) />
                                {move || messages::template(i18n.get_locale(), template)}
                            </label>
                        })
                        .collect_view()}
                </fieldset>
            </Show>
            <Show when=move || profile().is_some()>
                <h2 id="application-heading">{heading}</h2>
                <form class="identifiers" on:submit=move |ev| {
                    ev.prevent_default();
                    if ready() && !sending.get_untracked() { send() }
                }>
                    <Show when=move || kind() == Some(ApplicantKind::LegalEntity)>
                        <IdentifierField
                            id="bin"
                            label=Signal::derive(move || messages::label_bin(i18n.get_locale()))
                            value=bin
                            on_input=move |v| draft.update(|d| d.bin = v)
                            check=move |v: &str| Bin::parse(v).err().map(messages::Invalid::Bin)
                        />
                    </Show>
                    <IdentifierField
                        id="iin"
                        label=Signal::derive(move || messages::label_iin(i18n.get_locale()))
                        value=iin
                        on_input=move |v| draft.update(|d| d.iin = v)
                        check=move |v: &str| Iin::parse(v).err().map(messages::Invalid::Iin)
                    />
                    <button type="submit" class="primary" disabled=move || !ready() || sending.get()>
                        {move || if sending.get() {
                            t!(i18n, applicant.sending).into_any()
                        } else {
                            t!(i18n, applicant.send).into_any()
                        }}
                    </button>
                </form>
            </Show>
            <div role="alert" class="error" id="request-error">
                {move || failure.get().map(|error| messages::api(i18n.get_locale(), &error))}
            </div>
        </section>
    }
}
