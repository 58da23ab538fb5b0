//! The applications submitted from this browser: number → request id. The request id
//! is what proves, to the server, that this browser is the applicant's (unmasked
//! status, certificates, installation); it is public-key material only, never a key.

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage};

const STORAGE_KEY: &str = "qoltanba.applications";

pub fn remember(number: &str, request_id: &str) {
    let mut known: BTreeMap<String, String> = LocalStorage::get(STORAGE_KEY).unwrap_or_default();
    known.insert(number.to_owned(), request_id.to_owned());
    // Without storage the applicant still has the number; only this shortcut is lost.
    let _ = LocalStorage::set(STORAGE_KEY, known);
}

pub fn request_id(number: &str) -> Option<String> {
    LocalStorage::get::<BTreeMap<String, String>>(STORAGE_KEY)
        .ok()?
        .remove(number)
}

/// A new random request id (128 bits, hex).
pub fn new_request_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the browser has crypto.getRandomValues");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
