//! Step 19 of the guide: the Digital ID account — «Документы» with «Новые уведомления»
//! / «Посмотреть» and the document «Действителен до …», «История операций», and
//! «Данные и безопасность» (what is stored and until when). While an operator checks
//! the document the page asks again every few seconds, so the decision shows up here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::{Account, DocumentStatus};

use crate::api::{ApiFailure, Bearer};
use crate::clock;
use crate::i18n::{t, use_i18n};
use crate::messages;
use crate::wizard::{guard, Step};

/// How often a document under moderation is asked about.
const POLL_MS: u32 = 5_000;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Account);
    let account = RwSignal::new(None::<Account>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let opened = RwSignal::new(false);
    let session = move || wizard.with_untracked(|w| w.member().map(|m| m.session.clone()));
    let load = move || {
        let Some(session) = session() else { return };
        spawn_local(async move {
            match Bearer(&session)
                .get::<Account>("/api/v1/digital-id/account")
                .await
            {
                Ok(fresh) => {
                    if let Some(document) = fresh.document.clone() {
                        wizard.update(|w| *w = w.clone().document_submitted(document));
                    }
                    account.set(Some(fresh));
                    failure.set(None);
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    load();
    let tick = clock::ticking(POLL_MS);
    Effect::new(move |_| {
        tick.track();
        let waiting = account.with_untracked(|a| {
            a.as_ref()
                .and_then(|a| a.document.as_ref())
                .is_some_and(|d| d.status == DocumentStatus::Moderation)
        });
        if waiting {
            load();
        }
    });
    let view_notification = move |_| {
        opened.set(true);
        let Some(session) = session() else { return };
        spawn_local(async move {
            let _: Result<(), _> = Bearer(&session)
                .post("/api/v1/digital-id/account/notifications-seen", &())
                .await;
        });
    };
    let document = move || account.with(|a| a.as_ref().and_then(|a| a.document.clone()));
    let status = move || document().map(|d| d.status);
    let retake = move |_| wizard.update(|w| *w = w.clone().retake_document());

    view! {
        <section class="step account" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, account.title)}</h1>
            <Show when=move || account.with(|a| a.as_ref().is_some_and(|a| a.unseen > 0)) && !opened.get()>
                <div class="notification" role="status">
                    <span>{t!(i18n, account.new_notifications)}</span>
                    <button type="button" class="secondary" id="view-notification" on:click=view_notification>
                        {t!(i18n, account.view)}
                    </button>
                </div>
            </Show>
            <h2>{t!(i18n, account.documents)}</h2>
            <p>{move || t!(i18n, account.attached, count = move || usize::from(document().is_some()))}</p>
            {move || document().map(|d| {
                let locale = i18n.get_locale();
                view! {
                    <div class="document-card" id="document-card">
                        <strong>{messages::document_kind(locale, d.kind)}</strong>
                        <span id="document-status" role="status" class=match d.status {
                            DocumentStatus::Verified => "success",
                            DocumentStatus::Moderation => "progress",
                            DocumentStatus::Rejected => "error",
                        }>
                            {match d.status {
                                DocumentStatus::Verified => t!(i18n, account.valid_until, date = messages::date(locale, d.expires_on))().into_any(),
                                DocumentStatus::Moderation => t!(i18n, account.moderation)().into_any(),
                                DocumentStatus::Rejected => t!(i18n, account.rejected, reason = d.reason.clone().unwrap_or_default())().into_any(),
                            }}
                        </span>
                    </div>
                }
            })}
            <div class="actions">
                <Show when=move || status() == Some(DocumentStatus::Verified)>
                    <a class="button primary" id="to-consent" href=Step::Consent.path()>{t!(i18n, account.proceed)}</a>
                </Show>
                <Show when=move || status() == Some(DocumentStatus::Rejected)>
                    <a class="button primary" id="add-again" href=Step::Document.path() on:click=retake>
                        {t!(i18n, account.add_again)}
                    </a>
                </Show>
            </div>
            <h2>{t!(i18n, account.history)}</h2>
            <ul class="history" id="history">
                {move || account.with(|a| a.as_ref().map(|a| a.history.clone()).unwrap_or_default())
                    .into_iter()
                    .map(|entry| {
                        let locale = i18n.get_locale();
                        view! {
                            <li>
                                <time>{messages::date_time(locale, entry.at)}</time>
                                " — "
                                {messages::account_event(locale, entry.event)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h2>{t!(i18n, account.security)}</h2>
            <p>{t!(i18n, account.stored_intro)}</p>
            <ul class="stored" id="stored">
                {move || account.with(|a| a.as_ref().map(|a| a.stored.clone()).unwrap_or_default())
                    .into_iter()
                    .map(|item| {
                        let locale = i18n.get_locale();
                        let until = match item.deleted_at {
                            Some(at) => t!(i18n, account.deleted_at, time = messages::date_time(locale, at))().into_any(),
                            None => t!(i18n, account.kept)().into_any(),
                        };
                        view! { <li>{messages::stored_data(locale, item.data)} " — " {until}</li> }
                    })
                    .collect_view()}
            </ul>
            <p role="alert" class="error">
                {move || failure.get().map(|e| messages::api(i18n.get_locale(), &e))}
            </p>
        </section>
    }
}
