//! The kiosk's on-screen keys: digits for BIN, IIN, codes, PIN and dates, letters
//! (Latin, Cyrillic with the Kazakh letters) where text is needed. The keys type into
//! whichever field has the focus, as a keyboard would: the field's value changes and an
//! `input` event tells the page, so every form works unchanged. Written here because the
//! virtual keyboards on crates.io and npm are for other frameworks or rely on the
//! operating system's keyboard, which a kiosk hides.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use crate::i18n::{t, td_string, use_i18n};

const DIGITS: [&str; 10] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"];
const LATIN: [&str; 4] = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm@.-_"];
const CYRILLIC: [&str; 4] = ["әғқңөұүһі", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбюё-"];

/// The digits of a whole date as typed here: day, month, year.
const DATE_DIGITS: usize = 8;

/// A field the keys can type into, and how it wants to be typed.
#[derive(Clone)]
enum Field {
    Input(HtmlInputElement),
    /// A date field takes only a whole date as its value: the digits typed so far wait
    /// in the keypad's own line until all eight are there.
    Date(HtmlInputElement),
    TextArea(HtmlTextAreaElement),
}

impl Field {
    /// The focused element, when it takes typed text.
    fn of(element: &HtmlElement) -> Option<Self> {
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            if input.type_() == "date" {
                return (!input.read_only() && !input.disabled())
                    .then(|| Self::Date(input.clone()));
            }
            let typed = matches!(
                input.type_().as_str(),
                "text" | "tel" | "password" | "email" | "search" | "number"
            );
            return (typed && !input.read_only() && !input.disabled())
                .then(|| Self::Input(input.clone()));
        }
        element
            .dyn_ref::<HtmlTextAreaElement>()
            .filter(|area| !area.read_only() && !area.disabled())
            .map(|area| Self::TextArea(area.clone()))
    }

    /// Digits only for identifiers, codes and PINs (the fields say so with inputmode).
    fn numeric(&self) -> bool {
        match self {
            Self::Input(input) => {
                let mode = input.get_attribute("data-inputmode").unwrap_or_default();
                matches!(mode.as_str(), "numeric" | "tel" | "decimal")
            }
            Self::Date(_) => true,
            Self::TextArea(_) => false,
        }
    }

    fn element(&self) -> &HtmlElement {
        match self {
            Self::Input(input) | Self::Date(input) => input.unchecked_ref(),
            Self::TextArea(area) => area.unchecked_ref(),
        }
    }

    fn value(&self) -> String {
        match self {
            Self::Input(input) | Self::Date(input) => input.value(),
            Self::TextArea(area) => area.value(),
        }
    }

    fn max_length(&self) -> Option<usize> {
        let max = match self {
            Self::Input(input) => input.max_length(),
            Self::Date(_) => return Some(DATE_DIGITS),
            Self::TextArea(area) => area.max_length(),
        };
        usize::try_from(max).ok()
    }

    /// Sets the value as typing would, telling the page through an `input` event.
    fn set(&self, value: &str) {
        match self {
            Self::Input(input) | Self::Date(input) => input.set_value(value),
            Self::TextArea(area) => area.set_value(value),
        }
        if let Ok(event) = Event::new_with_event_init_dict("input", &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        }) {
            let _ = self.element().dispatch_event(&event);
        }
    }

    /// What has been typed: a date field's digits, any other field's value.
    fn typed(&self) -> String {
        match self {
            Self::Date(input) => date_digits(&input.value()),
            _ => self.value(),
        }
    }

    /// Puts what has been typed into the field: a date only once it is whole.
    fn retype(&self, typed: &str) {
        match self {
            Self::Date(_) => self.set(&iso_date(typed).unwrap_or_default()),
            _ => self.set(typed),
        }
    }
}

/// `YYYY-MM-DD` (a date field's value) as its digits typed here, `DDMMYYYY`.
fn date_digits(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [year, month, day] => format!("{day}{month}{year}"),
        _ => String::new(),
    }
}

/// The eight digits `DDMMYYYY` as a date field's value, once they are all there.
fn iso_date(digits: &str) -> Option<String> {
    (digits.len() == DATE_DIGITS)
        .then(|| format!("{}-{}-{}", &digits[4..], &digits[2..4], &digits[..2]))
}

/// The digits typed so far over the mask (`ДД.ММ.ГГГГ`): each digit takes the place of
/// the next letter.
fn over_mask(digits: &str, mask: &str) -> String {
    let mut digits = digits.chars();
    mask.chars()
        .map(|c| match c {
            '.' => c,
            _ => digits.next().unwrap_or(c),
        })
        .collect()
}

/// Keeps the operating system's keyboard away: the on-screen keys are the kiosk's. The
/// field's own mode is kept aside for choosing digits or letters.
fn claim(element: &HtmlElement) {
    if element.get_attribute("data-inputmode").is_none() {
        let mode = element.get_attribute("inputmode").unwrap_or_default();
        let _ = element.set_attribute("data-inputmode", &mode);
    }
    let _ = element.set_attribute("inputmode", "none");
}

/// The field at the top of the screen (below the help button: the page's scroll
/// padding), where the keys docked at the bottom do not cover it even on a small screen,
/// where they take half of it.
fn above_the_keys(element: &HtmlElement) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"start".into());
    if let Ok(scroll) = js_sys::Reflect::get(element, &"scrollIntoView".into()) {
        if let Ok(scroll) = scroll.dyn_into::<js_sys::Function>() {
            let _ = scroll.call1(element, &options);
        }
    }
}

#[component]
pub fn Keypad() -> impl IntoView {
    let i18n = use_i18n();
    let field = RwSignal::new_local(None::<Field>);
    // What the focused field holds as typed here (a date's digits before it is whole).
    let typed = RwSignal::new(String::new());
    let cyrillic = RwSignal::new(false);
    let upper = RwSignal::new(false);
    let focus = window_event_listener(ev::focusin, move |event| {
        let focused = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlElement>().ok());
        // Focus moving into the keypad itself keeps the field it types into.
        if focused
            .as_ref()
            .is_some_and(|e| e.closest(".kiosk-keypad").ok().flatten().is_some())
        {
            return;
        }
        let found = focused.as_ref().and_then(Field::of);
        if let Some(element) = &focused {
            if found.is_some() {
                claim(element);
                above_the_keys(element);
            }
        }
        typed.set(found.as_ref().map(Field::typed).unwrap_or_default());
        field.set(found);
    });
    on_cleanup(move || focus.remove());

    let edit = move |change: &dyn Fn(&mut String)| {
        field.with_untracked(|f| {
            if let Some(f) = f {
                // A text field's own value may have been changed by the page meanwhile;
                // a date's digits are only here until it is whole.
                let mut text = match f {
                    Field::Date(_) => typed.get_untracked(),
                    _ => f.typed(),
                };
                change(&mut text);
                f.retype(&text);
                typed.set(text);
            }
        })
    };
    let press = move |text: String| {
        let max = field.with_untracked(|f| f.as_ref().and_then(Field::max_length));
        edit(&|typed: &mut String| {
            if max.is_none_or(|max| typed.chars().count() < max) {
                typed.push_str(&text);
            }
        })
    };
    let key = move |label: String| {
        let shown = label.clone();
        view! {
            // pointerdown's default would move the focus off the field.
            <button type="button" class="key" on:pointerdown=|ev| ev.prevent_default()
                on:click=move |_| press(if upper.get_untracked() { label.to_uppercase() } else { label.clone() })>
                {move || if upper.get() { shown.to_uppercase() } else { shown.clone() }}
            </button>
        }
    };
    let rows = move || {
        let layout = if cyrillic.get() { CYRILLIC } else { LATIN };
        layout
            .iter()
            .map(|row| {
                view! {
                    <div class="key-row">
                        {row.chars().map(|c| key(c.to_string())).collect_view()}
                    </div>
                }
            })
            .collect_view()
    };
    let backspace = move |_| {
        edit(&|typed: &mut String| {
            typed.pop();
        })
    };
    let done = move |_| {
        if let Some(f) = field.get_untracked() {
            let _ = f.element().blur();
        }
        field.set(None);
    };

    view! {
        <Show when=move || field.with(Option::is_some)>
            <div class="kiosk-keypad" id="kiosk-keypad" role="group"
                aria-label=move || td_string!(i18n.get_locale(), kiosk.keypad)>
                <Show when=move || field.with(|f| matches!(f, Some(Field::Date(_))))>
                    <output class="key-date" id="kiosk-date" aria-live="polite">
                        {move || over_mask(&typed.get(), td_string!(i18n.get_locale(), kiosk.date_mask))}
                    </output>
                </Show>
                {move || if field.with(|f| f.as_ref().is_some_and(Field::numeric)) {
                    view! {
                        <div class="key-row digits">
                            {DIGITS.iter().map(|d| key((*d).to_owned())).collect_view()}
                        </div>
                    }.into_any()
                } else {
                    view! {
                        {rows}
                        <div class="key-row">
                            <button type="button" class="key wide" id="kiosk-shift" on:pointerdown=|ev| ev.prevent_default()
                                aria-pressed=move || upper.get().to_string()
                                on:click=move |_| upper.update(|u| *u = !*u)>"⇧"</button>
                            <button type="button" class="key wide" id="kiosk-layout" on:pointerdown=|ev| ev.prevent_default()
                                on:click=move |_| cyrillic.update(|c| *c = !*c)>
                                {move || if cyrillic.get() { t!(i18n, kiosk.latin).into_any() } else { t!(i18n, kiosk.cyrillic).into_any() }}
                            </button>
                            <button type="button" class="key space" id="kiosk-space" on:pointerdown=|ev| ev.prevent_default()
                                on:click=move |_| press(" ".to_owned())>{t!(i18n, kiosk.space)}</button>
                        </div>
                    }.into_any()
                }}
                <div class="key-row">
                    <button type="button" class="key wide" id="kiosk-backspace" on:pointerdown=|ev| ev.prevent_default()
                        on:click=backspace aria-label=move || leptos_i18n::td_string!(i18n.get_locale(), kiosk.backspace)>"⌫"</button>
                    <button type="button" class="key wide primary" id="kiosk-done" on:pointerdown=|ev| ev.prevent_default()
                        on:click=done>{t!(i18n, kiosk.done)}</button>
                </div>
            </div>
        </Show>
    }
}
