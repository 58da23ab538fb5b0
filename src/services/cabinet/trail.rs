//! The organisation's audit trail as the server's hash chain keeps it, and whether
//! the chain verifies.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::AuditTrail;

use crate::api::{self, ApiFailure};
use crate::i18n::{t, use_i18n};
use crate::messages;

#[component]
pub fn Trail(changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let trail = RwSignal::new(None::<AuditTrail>);
    let failure = RwSignal::new(None::<ApiFailure>);
    Effect::new(move |_| {
        changed.track();
        spawn_local(async move {
            match api::get::<AuditTrail>("/api/v1/cabinet/audit").await {
                Ok(t) => trail.set(Some(t)),
                Err(e) => failure.set(Some(e)),
            }
        });
    });
    view! {
        <section aria-labelledby="trail-title">
            <h2 id="trail-title">{t!(i18n, cabinet.trail_title)}</h2>
            <button type="button" id="trail-refresh" on:click=move |_| changed.update(|n| *n += 1)>
                {t!(i18n, cabinet.refresh)}
            </button>
            <div role="alert" class="error">
                {move || failure.get().map(|e| messages::api(locale(), &e))}
            </div>
            {move || trail.get().map(|trail| view! {
                <p id="trail-verified" class=if trail.chain_verified { "success" } else { "error" }>
                    {if trail.chain_verified {
                        t!(i18n, cabinet.trail_verified).into_any()
                    } else {
                        t!(i18n, cabinet.trail_broken).into_any()
                    }}
                </p>
                <table id="organisation-trail">
                    <caption class="visually-hidden">{t!(i18n, cabinet.trail_title)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, status.changed_at)}</th>
                        <th scope="col">{t!(i18n, cabinet.number)}</th>
                        <th scope="col">{t!(i18n, cabinet.event)}</th>
                        <th scope="col">{t!(i18n, cabinet.actor)}</th>
                    </tr></thead>
                    <tbody>
                        {trail.entries.into_iter().map(|entry| {
                            let (event, actor, at) = (entry.event.clone(), entry.actor.clone(), entry.at);
                            view! {
                                <tr data-event=entry.event.clone()>
                                    <td>{move || messages::date_time(locale(), at)}</td>
                                    <td>{entry.application.clone()}</td>
                                    <td>{move || messages::audit_event(locale(), &event)}</td>
                                    <td>{move || messages::audit_actor(locale(), &actor)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
