//! Step 17 of the guide: «Подтвердить документ». The fields are editable, each says
//! where its value came from: the machine-readable zone (typed or pasted from the back
//! of the card or the passport page, its check digits verified by the domain's `Mrz`)
//! or typed by hand. A bad check digit is shown on its field. Then «Подтверждаю, что
//! данные достоверны» and «Отправить»; the answer is verified at once or moderation.

use std::collections::BTreeMap;

use gloo_storage::{SessionStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::{DocumentSubmission, DocumentView, Language};
use qoltanba_domain::document::fields_from_mrz;
use qoltanba_domain::{Document, DocumentField, DocumentFields, FieldSource, Mrz, MrzError};
use serde::{Deserialize, Serialize};

use crate::api::{ApiFailure, Bearer};
use crate::clock;
use crate::i18n::{t, td_string, use_i18n, I18nLocaleTrait};
use crate::messages;
use crate::wizard::{guard, Step, Wizard};

/// The form survives a reload (it holds no secret: the applicant's own document).
const STORAGE_KEY: &str = "qoltanba.document";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    fields: DocumentFields,
    sources: BTreeMap<DocumentField, FieldSource>,
    mrz: String,
    confirmed: bool,
}

/// What the zone said when it was read, for the lines under the form.
#[derive(Debug, Clone, PartialEq)]
enum ZoneReading {
    NotRead,
    Read { names: String, iin: Option<String> },
    Refused(MrzError),
}

#[component]
pub fn ConfirmDocument() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::ConfirmDocument);
    let navigate = StoredValue::new(use_navigate());
    let draft = RwSignal::new(SessionStorage::get::<Draft>(STORAGE_KEY).unwrap_or_default());
    Effect::new(move |_| {
        let _ = SessionStorage::set(STORAGE_KEY, draft.get());
    });
    let kind = move || match wizard.get() {
        Wizard::PhotosTaken { kind, .. } => Some(kind),
        _ => None,
    };
    let zone = RwSignal::new(ZoneReading::NotRead);
    let attempted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);

    let read_zone = move || {
        let text = draft.with_untracked(|d| d.mrz.clone());
        match Mrz::parse(&text, clock::today()) {
            Ok(mrz) => {
                draft.update(|d| {
                    for (field, value) in fields_from_mrz(&mrz) {
                        d.fields.insert(field, value);
                        d.sources.insert(field, FieldSource::Mrz);
                    }
                });
                zone.set(ZoneReading::Read {
                    names: format!("{} {}", mrz.surname, mrz.given_names),
                    iin: mrz.iin.map(|iin| iin.to_string()),
                });
            }
            Err(error) => zone.set(ZoneReading::Refused(error)),
        }
    };
    // A zone read from the photo fills the form at once; the applicant checks it.
    let from_photo = RwSignal::new(false);
    if let Some(Wizard::PhotosTaken {
        zone: Some(zone), ..
    }) = wizard.with_untracked(|w| Some(w.clone()))
    {
        if draft.with_untracked(|d| d.mrz.trim().is_empty()) {
            draft.update(|d| d.mrz = zone);
            from_photo.set(true);
            read_zone();
        }
    }
    let parsed = move || {
        kind().map(|k| Document::parse(k, &draft.with(|d| d.fields.clone()), clock::today()))
    };
    // Errors by field: the zone's broken check digits, the form's own rules once the
    // applicant tried to send, and what the server said about the last attempt.
    let field_error = move |field: DocumentField| -> Option<String> {
        let locale = i18n.get_locale();
        if let ZoneReading::Refused(MrzError::CheckDigits(fields)) = zone.get() {
            if fields
                .iter()
                .any(|f| DocumentField::of_mrz(*f) == Some(field))
            {
                return Some(td_string!(locale, errors.mrz_check_digit).to_owned());
            }
        }
        if attempted.get() {
            if let Some(Err(errors)) = parsed() {
                if let Some(error) = errors.get(&field) {
                    return Some(messages::document_field(locale, *error).to_owned());
                }
            }
        }
        match failure.get() {
            Some(ApiFailure::Refused(detail)) => detail
                .fields
                .get(field.code())
                .map(|code| messages::field_code(locale, code).to_owned()),
            _ => None,
        }
    };
    let mrz_error = move || {
        let locale = i18n.get_locale();
        match zone.get() {
            ZoneReading::Refused(error) => Some(messages::mrz(locale, &error).to_owned()),
            _ => match failure.get() {
                Some(ApiFailure::Refused(detail)) => detail
                    .fields
                    .get("mrz")
                    .map(|code| messages::field_code(locale, code).to_owned()),
                _ => None,
            },
        }
    };
    let own_iin = move || wizard.with(|w| w.applicant().map(|a| a.request.iin.clone()));

    let submit = move || {
        attempted.set(true);
        let (Some(kind), Some(member)) = (kind(), wizard.with_untracked(|w| w.member().cloned()))
        else {
            return;
        };
        if !matches!(parsed(), Some(Ok(_))) || !draft.with_untracked(|d| d.confirmed) {
            return;
        }
        let d = draft.get_untracked();
        let submission = DocumentSubmission {
            kind,
            fields: d.fields,
            sources: d.sources,
            mrz: Some(d.mrz).filter(|m| !m.trim().is_empty()),
            confirmed: d.confirmed,
            language: Language::from_code(i18n.get_locale_untracked().as_str()),
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let answer: Result<DocumentView, _> = Bearer(&member.session)
                .post("/api/v1/digital-id/documents", &submission)
                .await;
            busy.set(false);
            match answer {
                Ok(document) => {
                    SessionStorage::delete(STORAGE_KEY);
                    wizard.update(|w| *w = w.clone().document_submitted(document));
                    navigate.with_value(|go| go(Step::Account.path(), Default::default()));
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let retake = move |_| {
        wizard.update(|w| *w = w.clone().retake_document());
        navigate.with_value(|go| go(Step::Document.path(), Default::default()));
    };

    let field_view = move |field: DocumentField| {
        let id = format!("document-{}", field.code());
        let error_id = format!("{id}-error");
        let source_id = format!("{id}-source");
        let value = move || draft.with(|d| d.fields.get(&field).cloned().unwrap_or_default());
        let source = move || draft.with(|d| d.sources.get(&field).copied());
        view! {
            <div class="field">
                <label for=id.clone()>
                    {move || messages::document_field_label(i18n.get_locale(), field)}
                    {field.required().then_some(" *")}
                </label>
                <input id=id.clone() name=field.code()
                    type=if field.is_date() { "date" } else { "text" }
                    autocomplete="off" required=field.required()
                    prop:value=value
                    aria-invalid=move || field_error(field).is_some().to_string()
                    aria-describedby=format!("{source_id} {error_id}")
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        draft.update(|d| {
                            d.fields.insert(field, text);
                            d.sources.insert(field, FieldSource::Typed);
                        });
                    } />
                <p class="field-source" id=source_id.clone()>
                    {move || source().map(|s| messages::field_source(i18n.get_locale(), s))}
                </p>
                <p class="field-error" id=error_id.clone() role="alert">{move || field_error(field)}</p>
            </div>
        }
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, confirm.title)}</h1>
            <p>{t!(i18n, confirm.explain)}</p>
            <div class="field">
                <label for="mrz">{t!(i18n, confirm.mrz)}</label>
                <p class="hint" id="mrz-hint">{t!(i18n, confirm.mrz_hint)}</p>
                <textarea id="mrz" rows="3" spellcheck="false" autocomplete="off" class="mrz"
                    aria-describedby="mrz-hint mrz-error"
                    aria-invalid=move || mrz_error().is_some().to_string()
                    prop:value=move || draft.with(|d| d.mrz.clone())
                    on:input=move |ev| {
                        from_photo.set(false);
                        draft.update(|d| d.mrz = event_target_value(&ev));
                    }></textarea>
                <p class="hint" id="mrz-from-photo" hidden=move || !from_photo.get()>
                    {t!(i18n, confirm.mrz_from_photo)}
                </p>
                <button type="button" class="secondary" id="read-mrz" on:click=move |_| read_zone()>
                    {t!(i18n, confirm.read_mrz)}
                </button>
                <p class="field-error" id="mrz-error" role="alert">{mrz_error}</p>
                <p id="mrz-reading" role="status">
                    {move || match zone.get() {
                        ZoneReading::Read { names, iin } => {
                            let locale = i18n.get_locale();
                            let mut text = td_string!(locale, confirm.mrz_read, names = names);
                            if let Some(iin) = iin {
                                text.push(' ');
                                text.push_str(&if Some(&iin) == own_iin().as_ref() {
                                    td_string!(locale, confirm.mrz_iin, iin = iin)
                                } else {
                                    td_string!(locale, confirm.mrz_other_iin, iin = iin)
                                });
                            }
                            Some(text)
                        }
                        _ => None,
                    }}
                </p>
            </div>
            <form on:submit=move |ev| { ev.prevent_default(); if !busy.get() { submit() } }>
                {DocumentField::ALL.into_iter().map(field_view).collect_view()}
                <div class="field checkbox">
                    <input type="checkbox" id="confirmed"
                        prop:checked=move || draft.with(|d| d.confirmed)
                        aria-describedby="confirmed-error"
                        aria-invalid=move || (attempted.get() && !draft.with(|d| d.confirmed)).to_string()
                        on:change=move |ev| draft.update(|d| d.confirmed = event_target_checked(&ev)) />
                    <label for="confirmed">{t!(i18n, confirm.confirmed)}</label>
                    <p class="field-error" id="confirmed-error" role="alert">
                        {move || (attempted.get() && !draft.with(|d| d.confirmed))
                            .then(|| td_string!(i18n.get_locale(), errors.not_confirmed))}
                    </p>
                </div>
                <button type="submit" class="primary" id="submit-document" disabled=move || busy.get()>
                    {move || if busy.get() { t!(i18n, confirm.checking).into_any() } else { t!(i18n, confirm.submit).into_any() }}
                </button>
            </form>
            <p role="alert" class="error" id="document-failure">
                {move || failure.get().filter(|f| !matches!(f, ApiFailure::Refused(d) if d.code == "validation"))
                    .map(|e| messages::api(i18n.get_locale(), &e))}
            </p>
            <button type="button" class="link" on:click=retake>{t!(i18n, confirm.retake)}</button>
        </section>
    }
}
