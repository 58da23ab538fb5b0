//! The operator pages' own words for the domain's values, in the current language (the
//! document's fields, kinds and sides are named as on the applicant's screens, in
//! `messages`). Matches are exhaustive: a new variant cannot reach the screen without words.

use leptos_i18n::td_string;
use qoltanba_domain::api::{IdentityOutcome, Mismatch};
use qoltanba_domain::moderation::RegistryDocument;
use qoltanba_domain::Side;

use super::case::Photo;
use crate::i18n::Locale;
use crate::messages;

pub fn mismatch(locale: Locale, mismatch: Mismatch) -> &'static str {
    use Mismatch as M;
    match mismatch {
        M::DocumentNumber => td_string!(locale, operator.mismatch_document_number),
        M::Surname => td_string!(locale, operator.mismatch_surname),
        M::Name => td_string!(locale, operator.mismatch_name),
        M::Patronymic => td_string!(locale, operator.mismatch_patronymic),
        M::BirthDate => td_string!(locale, operator.mismatch_birth_date),
        M::Expiry => td_string!(locale, operator.mismatch_expiry),
        M::Iin => td_string!(locale, operator.mismatch_iin),
        M::Mrz => td_string!(locale, operator.mismatch_mrz),
        M::Face => td_string!(locale, operator.mismatch_face),
    }
}

/// The list of a case's mismatches, as the queue shows it.
pub fn mismatches(locale: Locale, mismatches: &[Mismatch]) -> String {
    if mismatches.is_empty() {
        return td_string!(locale, operator.no_mismatches).to_owned();
    }
    mismatches
        .iter()
        .map(|&m| mismatch(locale, m))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn identity(locale: Locale, outcome: IdentityOutcome) -> &'static str {
    match outcome {
        IdentityOutcome::Verified => td_string!(locale, operator.identity_verified),
        IdentityOutcome::Moderation => td_string!(locale, operator.identity_moderation),
    }
}

pub fn registry_document(locale: Locale, document: &RegistryDocument) -> String {
    td_string!(
        locale,
        operator.registry_document,
        kind = messages::document_kind(locale, document.kind),
        number = &document.number,
        date = qoltanba_domain::document::format_date(document.expires_on)
    )
}

pub fn photo(locale: Locale, photo: Photo) -> &'static str {
    match photo {
        Photo::Selfie => td_string!(locale, operator.photo_selfie),
        Photo::Document(side) => messages::side(locale, side),
    }
}

pub fn photo_alt(locale: Locale, photo: Photo) -> &'static str {
    match photo {
        Photo::Selfie => td_string!(locale, operator.photo_selfie_alt),
        Photo::Document(Side::Front) => td_string!(locale, operator.photo_front_alt),
        Photo::Document(Side::Back) => td_string!(locale, operator.photo_back_alt),
    }
}
