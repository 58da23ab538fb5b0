//! Spoken cues for the liveness instructions: the browser's speech synthesis in the page's
//! language, or a short beep where the browser has no voice to speak with.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    AudioContext, SpeechSynthesis, SpeechSynthesisErrorCode, SpeechSynthesisErrorEvent,
    SpeechSynthesisUtterance,
};

use crate::i18n::Locale;

/// The language tag speech synthesis is asked for.
pub fn language_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::ru => "ru-RU",
        Locale::kk => "kk-KZ",
        Locale::en => "en-US",
    }
}

/// The browser's speech synthesis, when it has a voice for `locale`'s language (any
/// voice when `locale` is `None`). Asking for the voices also makes Chromium start
/// loading them.
fn synthesis(locale: Option<Locale>) -> Option<SpeechSynthesis> {
    let window = web_sys::window()?;
    let present = js_sys::Reflect::has(&window, &JsValue::from_str("speechSynthesis")).ok()?;
    if !present {
        return None;
    }
    let synthesis = window.speech_synthesis().ok()?;
    let language = locale.map(|l| &language_tag(l)[..2]);
    let speaks = synthesis.get_voices().iter().any(|voice| {
        let lang = js_sys::Reflect::get(&voice, &JsValue::from_str("lang"))
            .ok()
            .and_then(|lang| lang.as_string())
            .unwrap_or_default()
            .to_ascii_lowercase();
        language.is_none_or(|language| lang.starts_with(language))
    });
    speaks.then_some(synthesis)
}

/// Gets the voices loading before the first instruction is spoken.
pub fn prepare() {
    let _ = synthesis(None);
}

/// Speaks `text` in `locale`'s language, cutting off what was still being said: only the
/// current instruction matters. Without a voice for the language, a beep says that it
/// changed.
pub fn say(text: &str, locale: Locale) {
    let Some(synthesis) = synthesis(Some(locale)) else {
        return beep();
    };
    let Ok(utterance) = SpeechSynthesisUtterance::new_with_text(text) else {
        return beep();
    };
    utterance.set_lang(language_tag(locale));
    ON_ERROR.with(|handler| utterance.set_onerror(Some(handler.as_ref().unchecked_ref())));
    synthesis.cancel();
    synthesis.speak(&utterance);
}

thread_local! {
    /// An instruction cut off by the next one is no failure; anything else beeps instead.
    static ON_ERROR: Closure<dyn Fn(SpeechSynthesisErrorEvent)> =
        Closure::new(|event: SpeechSynthesisErrorEvent| {
            if !matches!(
                event.error(),
                SpeechSynthesisErrorCode::Interrupted | SpeechSynthesisErrorCode::Canceled
            ) {
                beep();
            }
        });
    static AUDIO: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// A short, quiet tone (880 Hz, 150 ms): something changed, look at the screen.
pub fn beep() {
    AUDIO.with(|audio| {
        let mut audio = audio.borrow_mut();
        if audio.is_none() {
            *audio = AudioContext::new().ok();
        }
        let Some(context) = audio.as_ref() else {
            return;
        };
        // Created after the user's click, the context may still start suspended.
        let _ = context.resume();
        let (Ok(tone), Ok(volume)) = (context.create_oscillator(), context.create_gain()) else {
            return;
        };
        tone.frequency().set_value(880.0);
        volume.gain().set_value(0.2);
        let now = context.current_time();
        let _ = tone
            .connect_with_audio_node(&volume)
            .and_then(|_| volume.connect_with_audio_node(&context.destination()))
            .and_then(|_| tone.start_with_when(now))
            .and_then(|_| tone.stop_with_when(now + 0.15));
    });
}
