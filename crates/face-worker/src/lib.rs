//! The face worker: loads the models from our own server, then answers each frame the
//! page posts with what `qoltanba_face::tracker` sees in it. Inference takes several
//! milliseconds a frame and the models are megabytes, so they live here, off the UI
//! thread and out of the first page's download.
//!
//! Messages are `[json]` or, for a frame, `[json, ArrayBuffer of RGBA]` (transferred);
//! answers are JSON strings (`qoltanba_face::protocol`).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Uint8Array};
use qoltanba_face::protocol::{Reply, Request};
use qoltanba_face::tracker::Tracker;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Response};

const DETECTOR: &str = "/models/blazeface_front_128.onnx";
const FAR_DETECTOR: &str = "/models/blazeface_back_256.onnx";
const MESH: &str = "/models/face_mesh_192.onnx";

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    wasm_bindgen_futures::spawn_local(async move {
        let started = now(&scope);
        match load(&scope).await {
            Ok(tracker) => {
                listen(&scope, tracker);
                reply(
                    &scope,
                    &Reply::Ready {
                        load_ms: now(&scope) - started,
                    },
                );
            }
            Err(message) => reply(&scope, &Reply::Failed { message }),
        }
    });
}

async fn load(scope: &DedicatedWorkerGlobalScope) -> Result<Tracker, String> {
    let detector = fetch_bytes(scope, DETECTOR).await?;
    let far_detector = fetch_bytes(scope, FAR_DETECTOR).await?;
    let mesh = fetch_bytes(scope, MESH).await?;
    Tracker::new(&detector, &far_detector, &mesh).map_err(|e| e.to_string())
}

async fn fetch_bytes(scope: &DedicatedWorkerGlobalScope, url: &str) -> Result<Vec<u8>, String> {
    let failed = |e: JsValue| format!("{url}: {e:?}");
    let response: Response = JsFuture::from(scope.fetch_with_str(url))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn listen(scope: &DedicatedWorkerGlobalScope, tracker: Tracker) {
    let tracker = Rc::new(RefCell::new(tracker));
    let worker = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let parts = Array::from(&event.data());
        let request = parts
            .get(0)
            .as_string()
            .and_then(|json| serde_json::from_str::<Request>(&json).ok());
        let mut tracker = tracker.borrow_mut();
        match request {
            Some(Request::Guide) => tracker.guide(),
            Some(Request::Liveness {
                actions,
                deadline_ms,
            }) => tracker.follow(actions, deadline_ms),
            Some(Request::Frame {
                frame,
                width,
                height,
                at_ms,
            }) => {
                let started = now(&worker);
                let pixels = pixels(&parts);
                let answer = match tracker.frame(&pixels, width as usize, height as usize, at_ms) {
                    Ok(mut report) => {
                        report.frame = frame;
                        report.elapsed_ms = now(&worker) - started;
                        Reply::Frame(report)
                    }
                    Err(e) => Reply::Failed {
                        message: e.to_string(),
                    },
                };
                reply(&worker, &answer);
            }
            Some(Request::Detect { width, height }) => {
                let started = now(&worker);
                let pixels = pixels(&parts);
                let answer = match tracker.detect(&pixels, width as usize, height as usize) {
                    Ok(faces) => Reply::Detected {
                        faces: faces.iter().map(|face| face.bounds).collect(),
                        elapsed_ms: now(&worker) - started,
                    },
                    Err(e) => Reply::Failed {
                        message: e.to_string(),
                    },
                };
                reply(&worker, &answer);
            }
            None => reply(
                &worker,
                &Reply::Failed {
                    message: "a message the worker does not understand".into(),
                },
            ),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
}

/// The frame's RGBA bytes, the message's transferred buffer.
fn pixels(parts: &Array) -> Vec<u8> {
    Uint8Array::new(&parts.get(1).unchecked_into::<ArrayBuffer>()).to_vec()
}

fn reply(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let json = serde_json::to_string(reply).expect("replies serialise");
    // Posting a string to our own page cannot fail.
    let _ = scope.post_message(&JsValue::from_str(&json));
}

fn now(scope: &DedicatedWorkerGlobalScope) -> f64 {
    scope.performance().map_or(0.0, |p| p.now())
}
