//! A password set here and now (a key store's, a kiosk's carried keys'): typed twice,
//! with the rules of `domain::password` ticked off as the user types.

use leptos::prelude::*;
use leptos_i18n::td_string;
use qoltanba_domain::password::checklist;
use qoltanba_domain::KeyStorePassword;

use crate::i18n::use_i18n;
use crate::messages;

/// The password, once it keeps every rule and both fields agree.
pub fn chosen(value: &str, again: &str) -> Option<KeyStorePassword> {
    KeyStorePassword::parse(value)
        .ok()
        .filter(|_| value == again)
}

/// Elements: `#{id}`, `#{id}-rules`, `#{id}-again`, `#{id}-again-error`.
#[component]
pub fn NewPassword(
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] again_label: Signal<&'static str>,
    value: RwSignal<String>,
    again: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let rules_id = format!("{id}-rules");
    let again_id = format!("{id}-again");
    let again_error_id = format!("{id}-again-error");
    let mismatch = move || !again.get().is_empty() && again.get() != value.get();
    let checks = move || {
        checklist(&value.get())
            .into_iter()
            .map(|(rule, kept)| {
                view! {
                    <li class=if kept { "kept" } else { "broken" }>
                        <span class="visually-hidden">
                            {move || if kept { td_string!(locale(), install.rule_kept) } else { td_string!(locale(), install.rule_broken) }}
                        </span>
                        {move || messages::password_rule(locale(), rule)}
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="password" autocomplete="new-password" maxlength="33"
                prop:value=value aria-describedby=rules_id.clone()
                aria-invalid=move || value.with(|v| !v.is_empty() && checklist(v).iter().any(|(_, kept)| !kept)).to_string()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        </div>
        // Read with the field (its description), not again at every key typed.
        <ul id=rules_id class="checklist">{checks}</ul>
        <div class="field">
            <label for=again_id.clone()>{again_label}</label>
            <input id=again_id type="password" autocomplete="new-password" maxlength="33"
                prop:value=again aria-describedby=again_error_id.clone() aria-invalid=move || mismatch().to_string()
                on:input=move |ev| again.set(event_target_value(&ev)) />
            <p class="field-error" id=again_error_id role="alert">
                {move || mismatch().then(|| td_string!(locale(), install.mismatch))}
            </p>
        </div>
    }
}
