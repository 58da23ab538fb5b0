//! A `.p12` key store chosen from disk and opened in the page with its password: the
//! cabinet's sign-in, the head's signing key, the revocation. The key stays in the page;
//! only what is signed with it leaves.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_pki::key_store::{self, OpenError, Opened};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement};

use crate::i18n::{t, use_i18n};
use crate::messages;

/// Our key stores are a few kilobytes; anything far bigger is not one.
const MAX_BYTES: f64 = 64.0 * 1024.0;

/// Why a chosen file did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyFileProblem {
    #[error("the file could not be read")]
    Unreadable,
    #[error("the file is too large for a key store")]
    TooLarge,
    #[error(transparent)]
    Open(#[from] OpenError),
}

/// The file's bytes, when it is small enough to be a key store or a certificate.
pub async fn read(file: &File) -> Result<Vec<u8>, KeyFileProblem> {
    if file.size() > MAX_BYTES {
        return Err(KeyFileProblem::TooLarge);
    }
    JsFuture::from(file.array_buffer())
        .await
        .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
        .map_err(|_| KeyFileProblem::Unreadable)
}

/// The first file an `<input type=file>` holds.
pub fn chosen(input: &HtmlInputElement) -> Option<File> {
    input.files().and_then(|files| files.get(0))
}

/// The picker: file, password, and a button labelled for what opening leads to.
/// Elements are `#{id}-file`, `#{id}-password`, `#{id}-open` and `#{id}-error`.
#[component]
pub fn KeyFile(
    id: &'static str,
    #[prop(into)] open_label: Signal<&'static str>,
    /// Set while the caller works with the opened key (a sign-in on its way).
    #[prop(into, optional)]
    busy: Signal<bool>,
    #[prop(into)] on_opened: Callback<Opened>,
) -> impl IntoView {
    let i18n = use_i18n();
    let file = RwSignal::new_local(None::<File>);
    let password = RwSignal::new(String::new());
    let opening = RwSignal::new(false);
    let problem = RwSignal::new(None::<KeyFileProblem>);
    let ready = move || {
        !opening.get() && !busy.get() && file.with(Option::is_some) && !password.get().is_empty()
    };
    let open = move || {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        opening.set(true);
        problem.set(None);
        spawn_local(async move {
            let opened = match read(&chosen).await {
                Ok(bytes) => {
                    key_store::open(&bytes, &password.get_untracked()).map_err(KeyFileProblem::from)
                }
                Err(e) => Err(e),
            };
            opening.set(false);
            match opened {
                Ok(opened) => {
                    // The password did its work; it is not kept in the page.
                    password.set(String::new());
                    on_opened.run(opened);
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    let file_id = format!("{id}-file");
    let password_id = format!("{id}-password");
    let error_id = format!("{id}-error");
    view! {
        <form class="key-file" on:submit=move |ev| {
            ev.prevent_default();
            if ready() { open() }
        }>
            <div class="field">
                <label for=file_id.clone()>{t!(i18n, key_file.file)}</label>
                <input id=file_id type="file" accept=".p12,.pfx,application/x-pkcs12"
                    aria-describedby=error_id.clone()
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    on:change=move |ev| {
                        problem.set(None);
                        file.set(chosen(&event_target::<HtmlInputElement>(&ev)));
                    } />
            </div>
            <div class="field">
                <label for=password_id.clone()>{t!(i18n, key_file.password)}</label>
                <input id=password_id type="password" autocomplete="off"
                    aria-describedby=error_id.clone()
                    // A key store's MAC fails alike for a wrong password and a damaged file.
                    aria-invalid=move || problem.with(|p| matches!(p, Some(KeyFileProblem::Open(OpenError::PasswordOrFile)))).to_string()
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
            </div>
            <button type="submit" class="primary" id=format!("{id}-open") disabled=move || !ready()>
                {move || if opening.get() || busy.get() {
                    t!(i18n, key_file.opening).into_any()
                } else {
                    open_label.get().into_any()
                }}
            </button>
            <div role="alert" class="error" id=error_id>
                {move || problem.get().map(|p| messages::key_file(i18n.get_locale(), p))}
            </div>
        </form>
    }
}
