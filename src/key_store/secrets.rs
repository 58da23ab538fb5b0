//! The pending keys' secrets, wrapped by one AES-GCM key that WebCrypto made
//! non-extractable: the browser can use it, but nobody can read it out, not even this
//! page. Both live in IndexedDB (a CryptoKey is stored as itself).

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use super::browser::{self, Store};
use super::KeyStoreFailure;

const WRAPPING_KEY: &str = "wrapping-key";

fn subtle() -> Result<SubtleCrypto, KeyStoreFailure> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .ok_or(KeyStoreFailure::Storage)
}

fn object(pairs: &[(&str, &JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&object, &(*name).into(), value);
    }
    object
}

fn aes_gcm(iv: Option<&Uint8Array>) -> Object {
    match iv {
        Some(iv) => object(&[("name", &"AES-GCM".into()), ("iv", iv)]),
        None => object(&[("name", &"AES-GCM".into()), ("length", &256.into())]),
    }
}

async fn wait(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, KeyStoreFailure> {
    let promise = promise.map_err(|_| KeyStoreFailure::Storage)?;
    JsFuture::from(promise)
        .await
        .map_err(|_| KeyStoreFailure::Storage)
}

/// This browser's wrapping key, made on first use.
async fn wrapping_key() -> Result<CryptoKey, KeyStoreFailure> {
    if let Some(key) = browser::read(Store::Wrapping, WRAPPING_KEY).await? {
        return key.dyn_into().map_err(|_| KeyStoreFailure::Storage);
    }
    let usages = js_sys::Array::of2(&"encrypt".into(), &"decrypt".into());
    let key = wait(subtle()?.generate_key_with_object(&aes_gcm(None), false, &usages)).await?;
    browser::write(Store::Wrapping, WRAPPING_KEY, &key).await?;
    key.dyn_into().map_err(|_| KeyStoreFailure::Storage)
}

pub async fn keep(id: &str, secret: &[u8]) -> Result<(), KeyStoreFailure> {
    let key = wrapping_key().await?;
    let mut iv = [0u8; 12];
    getrandom::fill(&mut iv).map_err(|_| KeyStoreFailure::Storage)?;
    let iv = Uint8Array::from(&iv[..]);
    let plain = secret.to_vec();
    let wrapped =
        wait(subtle()?.encrypt_with_object_and_u8_array(&aes_gcm(Some(&iv)), &key, &plain)).await?;
    let record = object(&[("iv", &iv), ("wrapped", &wrapped)]);
    browser::write(Store::Secrets, id, &record).await
}

pub async fn get(id: &str) -> Result<Option<Vec<u8>>, KeyStoreFailure> {
    let Some(record) = browser::read(Store::Secrets, id).await? else {
        return Ok(None);
    };
    let key = wrapping_key().await?;
    let iv: Uint8Array = Reflect::get(&record, &"iv".into())
        .ok()
        .and_then(|v| v.dyn_into().ok())
        .ok_or(KeyStoreFailure::KeyUnreadable)?;
    let wrapped =
        Reflect::get(&record, &"wrapped".into()).map_err(|_| KeyStoreFailure::KeyUnreadable)?;
    let wrapped: js_sys::Object = wrapped
        .dyn_into()
        .map_err(|_| KeyStoreFailure::KeyUnreadable)?;
    let plain = subtle()?
        .decrypt_with_object_and_buffer_source(&aes_gcm(Some(&iv)), &key, &wrapped)
        .map_err(|_| KeyStoreFailure::KeyUnreadable)?;
    let plain = JsFuture::from(plain)
        .await
        .map_err(|_| KeyStoreFailure::KeyUnreadable)?;
    Ok(Some(Uint8Array::new(&plain).to_vec()))
}

pub async fn forget(id: &str) -> Result<(), KeyStoreFailure> {
    browser::delete_in(Store::Secrets, id).await
}
