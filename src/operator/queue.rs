//! `/operator/cases`: the documents waiting for an operator, oldest first, each a link
//! to its case. After a decision the case page comes back here with `?decided=…`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use qoltanba_domain::api::CaseSummary;

use super::{case_path, words, OperatorBar};
use crate::api::{self, ApiFailure};
use crate::i18n::{t, use_i18n};
use crate::messages;

/// What the case page reports in `?decided=`.
pub const APPROVED: &str = "approved";
pub const REJECTED: &str = "rejected";

#[component]
pub fn CaseQueue() -> impl IntoView {
    let i18n = use_i18n();
    let cases = RwSignal::new(None::<Result<Vec<CaseSummary>, ApiFailure>>);
    let load = move || {
        cases.set(None);
        spawn_local(async move { cases.set(Some(api::get("/api/v1/operator/cases").await)) });
    };
    load();
    let query = use_query_map();
    let decided = move || match query.with(|q| q.get("decided")).as_deref() {
        Some(APPROVED) => Some(t!(i18n, operator.approved).into_any()),
        Some(REJECTED) => Some(t!(i18n, operator.rejected).into_any()),
        _ => None,
    };

    let row = move |case: CaseSummary| {
        let locale = i18n.get_locale();
        view! {
            <tr data-testid="case-row" data-case-id=case.id.clone()>
                <th scope="row">
                    <a href=case_path(&case.id) data-testid="case-link">{case.full_name}</a>
                </th>
                <td>{case.iin}</td>
                <td>{messages::document_kind(locale, case.kind)}</td>
                <td>{messages::date_time(locale, case.submitted_at)}</td>
                <td>{words::mismatches(locale, &case.mismatches)}</td>
            </tr>
        }
    };
    let table = move |list: Vec<CaseSummary>| {
        if list.is_empty() {
            return view! { <p id="cases-empty">{t!(i18n, operator.queue_empty)}</p> }.into_any();
        }
        view! {
            <table class="cases" id="cases">
                <caption>{t!(i18n, operator.queue_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, operator.column_name)}</th>
                        <th scope="col">{t!(i18n, operator.column_iin)}</th>
                        <th scope="col">{t!(i18n, operator.column_kind)}</th>
                        <th scope="col">{t!(i18n, operator.column_submitted)}</th>
                        <th scope="col">{t!(i18n, operator.column_mismatches)}</th>
                    </tr>
                </thead>
                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
            </table>
        }
        .into_any()
    };

    view! {
        <OperatorBar />
        <section class="step operator-page" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, operator.queue_title)}</h1>
            <p role="status" class="success" id="operator-status" hidden=move || decided().is_none()>
                {decided}
            </p>
            {move || match cases.get() {
                None => view! { <p class="progress">{t!(i18n, operator.loading)}</p> }.into_any(),
                Some(Ok(list)) => table(list),
                Some(Err(error)) => view! {
                    <p role="alert" class="error" id="cases-error">
                        {messages::api(i18n.get_locale(), &error)}
                    </p>
                }
                .into_any(),
            }}
            <button type="button" class="secondary" id="cases-refresh" on:click=move |_| load()>
                {t!(i18n, operator.refresh)}
            </button>
        </section>
    }
}
