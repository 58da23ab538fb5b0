//! A labelled input for an identifier (IIN, BIN, a code, a phone number), checked as the user types
//! with the domain's own parser; the error is tied to the input for screen readers.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::messages::{self, Invalid};

#[component]
pub fn IdentifierField<C>(
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] value: Signal<String>,
    on_input: impl Fn(String) + 'static,
    /// The domain parser's verdict: `None` when the value is valid.
    check: C,
    #[prop(default = 12)] max_length: usize,
    /// The on-screen keyboard to offer: digits, or a phone's keypad.
    #[prop(default = "numeric")]
    inputmode: &'static str,
) -> impl IntoView
where
    C: Fn(&str) -> Option<Invalid> + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let touched = RwSignal::new(false);
    // Nothing to say about an empty field; "too short" would nag while the user is
    // still typing, so it waits for the field to be left; every other error shows at once.
    let error = move || {
        value.with(|v| {
            check(v).filter(|e| {
                !v.is_empty() && (!e.is_length() || touched.get() || v.chars().count() > max_length)
            })
        })
    };
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type="text"
                inputmode=inputmode
                autocomplete="off"
                maxlength=max_length + 1
                prop:value=value
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                on:input=move |ev| on_input(event_target_value(&ev).trim().to_owned())
                on:blur=move |_| touched.set(true)
            />
            <p class="field-error" id=error_id role="alert">
                {move || error().map(|e| messages::invalid(i18n.get_locale(), e))}
            </p>
        </div>
    }
}
