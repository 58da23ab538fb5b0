//! Every error the user can see, turned into words in the current language.
//! One place, so a new error variant cannot reach the screen untranslated.

use leptos_i18n::td_string;

use crate::camera::CameraError;
use crate::i18n::Locale;

pub fn camera(locale: Locale, error: CameraError) -> &'static str {
    match error {
        CameraError::NoCamera => td_string!(locale, webcam.no_camera),
        CameraError::Denied => td_string!(locale, webcam.denied),
        CameraError::Busy => td_string!(locale, webcam.busy),
        CameraError::Unsupported => td_string!(locale, webcam.unsupported),
    }
}
