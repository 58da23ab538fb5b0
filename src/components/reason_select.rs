//! The choice of a revocation's reason (RFC 5280's codes the holder may give), the same
//! for the holder's own revocation and the head's in his cabinet.

use leptos::prelude::*;
use qoltanba_domain::revocation::RevocationReason;

use crate::i18n::{t, use_i18n};
use crate::messages;

#[component]
pub fn ReasonSelect(id: &'static str, reason: RwSignal<Option<RevocationReason>>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    view! {
        <div class="field">
            <label for=id>{t!(i18n, revocation.reason)}</label>
            <select id=id on:change=move |ev| {
                let code = event_target_value(&ev);
                reason.set(RevocationReason::ALL.into_iter().find(|r| r.code() == code));
            }>
                <option value="" selected=move || reason.with(Option::is_none)>
                    {t!(i18n, revocation.choose_reason)}
                </option>
                {RevocationReason::ALL.into_iter().map(|r| view! {
                    <option value=r.code()>{move || messages::revocation_reason(locale(), r)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
