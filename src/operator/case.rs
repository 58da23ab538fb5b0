//! `/operator/cases/:id`: one case, whole — the photos, the applicant's fields beside
//! the registry's record with the mismatches marked, the face check's outcome — and the
//! decision: «Одобрить», or «Отклонить» with a reason the applicant will read.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use qoltanba_domain::api::{CaseDetail, Decision, RegistryRecord};
use qoltanba_domain::document::format_date;
use qoltanba_domain::moderation::{mismatched_field, Reason, RegistryDocument};
use qoltanba_domain::{DocumentField, DocumentKind, Side};

use super::queue::{APPROVED, REJECTED};
use super::{words, OperatorBar, QUEUE_PATH};
use crate::api::{self, ApiFailure};
use crate::i18n::{t, use_i18n, Locale};
use crate::messages::{self, Invalid};

/// The pictures of a case, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Photo {
    Selfie,
    Document(Side),
}

impl Photo {
    const ALL: [Self; 3] = [
        Self::Selfie,
        Self::Document(Side::Front),
        Self::Document(Side::Back),
    ];

    /// As the API names it.
    fn code(self) -> &'static str {
        match self {
            Self::Selfie => "selfie",
            Self::Document(side) => side.code(),
        }
    }
}

/// Shown where a value is missing.
const NONE: &str = "—";

#[component]
pub fn CaseView() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = StoredValue::new(use_navigate());
    let id = StoredValue::new(
        use_params_map()
            .with_untracked(|p| p.get("id"))
            .unwrap_or_default(),
    );
    let case = RwSignal::new(None::<Result<CaseDetail, ApiFailure>>);
    spawn_local(async move {
        let path = format!("/api/v1/operator/cases/{}", id.get_value());
        case.set(Some(api::get(&path).await));
    });

    let reason = RwSignal::new(String::new());
    // The reason's problem shows once the operator tried to reject, or left the field.
    let reason_checked = RwSignal::new(false);
    let reason_error = move || {
        Reason::parse(&reason.get())
            .err()
            .filter(|_| reason_checked.get())
    };
    let reason_field = NodeRef::<html::Textarea>::new();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let decide = move |decision: Decision| {
        let outcome = match decision {
            Decision::Approve => APPROVED,
            Decision::Reject { .. } => REJECTED,
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let path = format!("/api/v1/operator/cases/{}/decision", id.get_value());
            let answer: Result<(), _> = api::post(&path, &decision).await;
            busy.set(false);
            match answer {
                Ok(()) => navigate.with_value(|go| {
                    go(
                        &format!("{QUEUE_PATH}?decided={outcome}"),
                        Default::default(),
                    )
                }),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let reject = move |_| {
        reason_checked.set(true);
        match Reason::parse(&reason.get_untracked()) {
            Ok(reason) => decide(Decision::Reject {
                reason: reason.into(),
            }),
            Err(_) => {
                if let Some(field) = reason_field.get_untracked() {
                    let _ = field.focus();
                }
            }
        }
    };

    view! {
        <OperatorBar />
        <section class="step operator-page operator-case" aria-labelledby="step-title">
            <a href=QUEUE_PATH id="back-to-queue">{t!(i18n, operator.back_to_queue)}</a>
            <h1 id="step-title" tabindex="-1">{t!(i18n, operator.case_title)}</h1>
            {move || match case.get() {
                None => view! { <p class="progress">{t!(i18n, operator.loading)}</p> }.into_any(),
                Some(Ok(detail)) => {
                    case_view(i18n.get_locale(), &id.get_value(), detail).into_any()
                }
                Some(Err(error)) => view! {
                    <p role="alert" class="error" id="case-error">
                        {messages::api(i18n.get_locale(), &error)}
                    </p>
                }
                .into_any(),
            }}
            <Show when=move || matches!(case.get(), Some(Ok(_)))>
                <section class="decision" aria-labelledby="decision-title">
                    <h2 id="decision-title">{t!(i18n, operator.decision)}</h2>
                    <div class="field reason">
                        <label for="reason">{t!(i18n, operator.reason)}</label>
                        <p class="note" id="reason-hint">{t!(i18n, operator.reason_hint)}</p>
                        <textarea id="reason" name="reason" rows="3" maxlength="600"
                            node_ref=reason_field
                            aria-describedby="reason-hint reason-error"
                            aria-invalid=move || reason_error().is_some().to_string()
                            prop:value=reason
                            on:input=move |ev| reason.set(event_target_value(&ev))
                            on:blur=move |_| {
                                if !reason.get_untracked().trim().is_empty() {
                                    reason_checked.set(true)
                                }
                            }
                        ></textarea>
                        <p class="field-error" id="reason-error" role="alert">
                            {move || reason_error()
                                .map(|e| messages::invalid(i18n.get_locale(), Invalid::Reason(e)))}
                        </p>
                    </div>
                    <div class="actions">
                        <button type="button" class="primary" id="approve" disabled=move || busy.get()
                            on:click=move |_| decide(Decision::Approve)>
                            {t!(i18n, operator.approve)}
                        </button>
                        <button type="button" class="secondary danger" id="reject" disabled=move || busy.get()
                            on:click=reject>
                            {t!(i18n, operator.reject)}
                        </button>
                    </div>
                    <p role="status" class="progress" id="decision-progress">
                        <Show when=move || busy.get()>{t!(i18n, operator.deciding)}</Show>
                    </p>
                    <div role="alert" class="error" id="decision-error">
                        {move || failure.get().map(|e| messages::api(i18n.get_locale(), &e))}
                    </div>
                </section>
            </Show>
        </section>
    }
}

/// Everything the operator compares, in the current language.
fn case_view(locale: Locale, id: &str, detail: CaseDetail) -> impl IntoView {
    let i18n = use_i18n();
    let summary = &detail.summary;
    let photos = Photo::ALL
        .into_iter()
        .map(|photo| {
            let code = photo.code();
            let picture = if detail.photos.iter().any(|held| held == code) {
                let url = format!("/api/v1/operator/cases/{id}/photos/{code}");
                let href = url.clone();
                // The full size in a tab of its own: documents have small print.
                view! {
                    <a href=href target="_blank" rel="noopener">
                        <img id=format!("case-{code}") src=url alt=words::photo_alt(locale, photo) />
                    </a>
                }
                .into_any()
            } else {
                view! {
                    <p class="note photo-deleted" id=format!("case-{code}-deleted")>
                        {t!(i18n, operator.photo_deleted)}
                    </p>
                }
                .into_any()
            };
            view! {
                <figure class="case-photo">
                    {picture}
                    <figcaption>{words::photo(locale, photo)}</figcaption>
                </figure>
            }
        })
        .collect_view();
    let registry = detail.registry.as_ref().map(|record| {
        let documents: Vec<RegistryDocument> = record
            .documents
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect();
        (record, documents)
    });
    let differing: Vec<DocumentField> = summary
        .mismatches
        .iter()
        .filter_map(|&m| mismatched_field(m))
        .collect();
    let rows = DocumentField::ALL
        .into_iter()
        .map(|field| {
            let differs = differing.contains(&field);
            let typed = detail
                .fields
                .get(&field)
                .filter(|v| !v.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| NONE.to_owned());
            let source = detail
                .sources
                .get(&field)
                .map_or(NONE, |&s| messages::field_source(locale, s));
            let in_registry = registry
                .as_ref()
                .and_then(|(record, documents)| {
                    registry_value(record, documents, summary.kind, &detail, field)
                })
                .unwrap_or_else(|| NONE.to_owned());
            view! {
                <tr data-field=field.code() class=if differs { "differs" } else { "" }>
                    <th scope="row">
                        {messages::document_field_label(locale, field)}
                        {differs.then(|| view! {
                            " " <span class="badge">{t!(i18n, operator.differs)}</span>
                        })}
                    </th>
                    <td>{typed}</td>
                    <td>{source}</td>
                    <td>{in_registry}</td>
                </tr>
            }
        })
        .collect_view();
    let registry_documents = match &registry {
        Some((_, documents)) => view! {
            <h3>{t!(i18n, operator.registry_documents)}</h3>
            <ul id="registry-documents">
                {documents
                    .iter()
                    .map(|d| view! { <li>{words::registry_document(locale, d)}</li> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
        None => view! { <p id="no-registry-record">{t!(i18n, operator.no_registry_record)}</p> }
            .into_any(),
    };

    view! {
        <dl class="case-summary">
            <dt>{t!(i18n, operator.column_name)}</dt>
            <dd id="case-name">{summary.full_name.clone()}</dd>
            <dt>{t!(i18n, operator.column_iin)}</dt>
            <dd id="case-iin">{summary.iin.clone()}</dd>
            <dt>{t!(i18n, operator.column_kind)}</dt>
            <dd>{messages::document_kind(locale, summary.kind)}</dd>
            <dt>{t!(i18n, operator.column_submitted)}</dt>
            <dd>{messages::date_time(locale, summary.submitted_at)}</dd>
            <dt>{t!(i18n, operator.mismatches)}</dt>
            <dd id="case-mismatches">{words::mismatches(locale, &summary.mismatches)}</dd>
        </dl>
        <h2>{t!(i18n, operator.photos)}</h2>
        <div class="case-photos">{photos}</div>
        <h2>{t!(i18n, operator.face_check)}</h2>
        <p id="case-face">{words::identity(locale, detail.identity)}</p>
        <h2>{t!(i18n, operator.comparison)}</h2>
        <table class="comparison" id="case-fields">
            <caption>{t!(i18n, operator.comparison_caption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, operator.column_field)}</th>
                    <th scope="col">{t!(i18n, operator.column_typed)}</th>
                    <th scope="col">{t!(i18n, operator.column_source)}</th>
                    <th scope="col">{t!(i18n, operator.column_registry)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {registry_documents}
        {detail.mrz.clone().map(|mrz| view! {
            <h3>{t!(i18n, confirm.mrz)}</h3>
            <pre class="mrz" id="case-mrz">{mrz}</pre>
        })}
    }
}

/// The registry's side of a row. The number and the expiry are those of the registry's
/// document with the typed number; with none (a typo?), the numbers it has of that kind.
fn registry_value(
    record: &RegistryRecord,
    documents: &[RegistryDocument],
    kind: DocumentKind,
    detail: &CaseDetail,
    field: DocumentField,
) -> Option<String> {
    let typed_number = detail.fields.get(&DocumentField::Number).map(|n| n.trim());
    let same_kind = || documents.iter().filter(|d| d.kind == kind);
    let matching = same_kind().find(|d| Some(d.number.as_str()) == typed_number);
    match field {
        DocumentField::Number => match matching {
            Some(document) => Some(document.number.clone()),
            None => {
                let numbers: Vec<&str> = same_kind().map(|d| d.number.as_str()).collect();
                (!numbers.is_empty()).then(|| numbers.join(", "))
            }
        },
        DocumentField::ExpiresOn => matching.map(|d| format_date(d.expires_on)),
        DocumentField::Surname => Some(record.surname.clone()),
        DocumentField::Name => Some(record.name.clone()),
        DocumentField::Patronymic => record.patronymic.clone(),
        DocumentField::BirthDate => Some(format_date(record.birth_date)),
        // The registry's record carries nothing to compare these with.
        DocumentField::BirthPlace
        | DocumentField::Nationality
        | DocumentField::Issuer
        | DocumentField::IssuedOn => None,
    }
}
