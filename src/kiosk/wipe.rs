//! The kiosk's wipe between two people: everything the page stored goes, then a fresh
//! load of the landing page. The reload is what ends the rest: it stops every camera
//! track, revokes every object URL and drops every signal in memory.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api;

/// Calls `target.method(args…)` and awaits the promise it returns.
async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let function: Function = Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    let arguments: Array = args.iter().collect();
    let promise: Promise = function.apply(target, &arguments).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}

/// Every IndexedDB database of this origin (pending keys and their wrapped secrets
/// among them), deleted.
async fn clear_indexed_db(window: &web_sys::Window) {
    let Some(factory) = window.indexed_db().ok().flatten() else {
        return;
    };
    let Some(databases) = call(&factory, "databases", &[]).await else {
        return;
    };
    for database in Array::from(&databases).iter() {
        if let Some(name) = Reflect::get(&database, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
        {
            let _ = factory.delete_database(&name);
        }
    }
}

/// Every Cache Storage cache the page made.
async fn clear_caches(window: &web_sys::Window) {
    let Ok(caches) = Reflect::get(window, &"caches".into()) else {
        return;
    };
    if caches.is_undefined() {
        return;
    }
    if let Some(names) = call(&caches, "keys", &[]).await {
        for name in Array::from(&names).iter() {
            call(&caches, "delete", &[name]).await;
        }
    }
}

/// Wipes, then loads the landing page afresh (keeping a trial kiosk a kiosk).
pub async fn wipe() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let trial = super::is_trial();
    // Sessions in HttpOnly cookies cannot be cleared by the page: the server ends them.
    let _ = api::delete::<()>("/api/v1/cabinet/sessions/current").await;
    for storage in [window.session_storage(), window.local_storage()] {
        if let Ok(Some(storage)) = storage {
            let _ = storage.clear();
        }
    }
    clear_indexed_db(&window).await;
    clear_caches(&window).await;
    let home = if trial { "/?kiosk" } else { "/" };
    let _ = window.location().replace(home);
}
