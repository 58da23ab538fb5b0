//! The language choice (ru / kk / en). leptos_i18n keeps it in a cookie, so it
//! survives reloads and is the same on every step.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n, I18nLocaleTrait, Locale};

/// Each language named in itself, as language pickers conventionally do.
fn native_name(locale: Locale) -> &'static str {
    match locale {
        Locale::ru => "Русский",
        Locale::kk => "Қазақша",
        Locale::en => "English",
    }
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        if let Ok(locale) = event_target_value(&ev).parse::<Locale>() {
            i18n.set_locale(locale);
        }
    };
    view! {
        <div class="language-switch">
            <label for="language">{t!(i18n, language)}</label>
            <select id="language" on:change=on_change>
                {Locale::get_all()
                    .iter()
                    .map(|&locale| {
                        view! {
                            <option
                                value=locale.as_str()
                                lang=locale.as_str()
                                selected=move || i18n.get_locale() == locale
                            >
                                {native_name(locale)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
