//! What the browser needs to make signature keys itself (this replaces the guide's
//! check for the NCALayer desktop program).

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// True when WebCrypto makes an ECDSA P-256 key here (this code running at all proves
/// WebAssembly). The key is not extractable and is dropped at once: it only proves
/// the capability.
pub async fn browser_can_make_keys() -> bool {
    let Some(subtle) = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
    else {
        return false;
    };
    let algorithm = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&algorithm, &"name".into(), &"ECDSA".into());
    let _ = js_sys::Reflect::set(&algorithm, &"namedCurve".into(), &"P-256".into());
    let usages = js_sys::Array::of1(&JsValue::from_str("sign"));
    let Ok(promise) = subtle.generate_key_with_object(&algorithm, false, &usages) else {
        return false;
    };
    JsFuture::from(promise).await.is_ok()
}

/// The two key pairs of an application, with their requests for `holder`'s DN.
pub struct NewKeys {
    pub authentication: qoltanba_pki::SigningKey,
    pub signing: qoltanba_pki::SigningKey,
    pub authentication_request: String,
    pub signing_request: String,
}

/// Makes the keys here, in the page; only the requests are ever sent.
pub fn make(holder: &qoltanba_pki::Holder) -> NewKeys {
    let dn = holder
        .distinguished_name()
        .expect("a holder from the registries encodes");
    timed("qoltanba:keys", || {
        let authentication = qoltanba_pki::generate_key();
        let signing = qoltanba_pki::generate_key();
        let request =
            |key| qoltanba_pki::request::build(key, dn.clone()).expect("a P-256 request builds");
        NewKeys {
            authentication_request: request(&authentication),
            signing_request: request(&signing),
            authentication,
            signing,
        }
    })
}

/// Runs `work` and records its duration as the User Timing measure `name`, which
/// `make bench` reads (`performance.getEntriesByName`) to compare the key work with
/// OpenSSL's.
pub fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|w| w.performance());
    let start = format!("{name}:start");
    if let Some(performance) = &performance {
        let _ = performance.mark(&start);
    }
    let done = work();
    if let Some(performance) = &performance {
        let _ = performance.measure_with_start_mark(name, &start);
    }
    done
}
