//! Access to the webcam through `getUserMedia`.
//!
//! Written on web-sys directly: leptos-use's `use_user_media` keeps a stream open for
//! a preview, while this check must open the camera once and release it at once.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, HtmlVideoElement, MediaStream, MediaStreamConstraints, MediaStreamTrack,
};

/// Why the camera cannot be used, in terms the user can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CameraError {
    #[error("no camera was found")]
    NoCamera,
    #[error("access to the camera was denied")]
    Denied,
    #[error("the camera is in use by another program")]
    Busy,
    #[error("this browser offers no camera API here")]
    Unsupported,
}

impl CameraError {
    /// Maps the `DOMException` name that `getUserMedia` rejects with.
    pub fn from_dom_name(name: &str) -> Self {
        match name {
            "NotAllowedError" | "SecurityError" => Self::Denied,
            "NotReadableError" | "AbortError" => Self::Busy,
            "TypeError" => Self::Unsupported,
            // NotFoundError, OverconstrainedError and anything new: the guide's advice
            // for a missing camera (switch it on, allow access) is the useful answer.
            _ => Self::NoCamera,
        }
    }

    fn from_js(error: JsValue) -> Self {
        match error.dyn_into::<DomException>() {
            Ok(exception) => Self::from_dom_name(&exception.name()),
            Err(other) => Self::from_dom_name(
                &js_sys::Reflect::get(&other, &"name".into())
                    .ok()
                    .and_then(|name| name.as_string())
                    .unwrap_or_default(),
            ),
        }
    }
}

/// Opens the camera once to learn whether it works, then stops it straight away
/// so that the camera light goes off and nothing keeps recording.
pub async fn probe() -> Result<(), CameraError> {
    stop(&open().await?);
    Ok(())
}

/// Opens the front camera at the size the face models work on; the caller stops it.
pub async fn open() -> Result<MediaStream, CameraError> {
    request(false).await
}

/// The camera and the microphone, for the operator's video call.
pub async fn open_with_microphone() -> Result<MediaStream, CameraError> {
    request(true).await
}

async fn request(microphone: bool) -> Result<MediaStream, CameraError> {
    let window = web_sys::window().ok_or(CameraError::Unsupported)?;
    // `navigator.mediaDevices` is undefined outside secure contexts.
    let devices = window
        .navigator()
        .media_devices()
        .ok()
        .filter(|devices| !devices.is_undefined())
        .ok_or(CameraError::Unsupported)?;
    let constraints = MediaStreamConstraints::new();
    let video = js_sys::Object::new();
    for (key, value) in [
        ("width", JsValue::from(640)),
        ("height", JsValue::from(480)),
        ("facingMode", JsValue::from_str("user")),
    ] {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&video, &key.into(), &value);
    }
    constraints.set_video(&video);
    constraints.set_audio(&microphone.into());
    let request = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(CameraError::from_js)?;
    Ok(JsFuture::from(request)
        .await
        .map_err(CameraError::from_js)?
        .unchecked_into())
}

/// Stops every track of a stream.
pub fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

/// The camera shown in a `<video>`; dropping it stops the camera and clears the video.
pub struct LiveCamera {
    stream: MediaStream,
    video: HtmlVideoElement,
}

impl LiveCamera {
    pub async fn start(video: HtmlVideoElement) -> Result<Self, CameraError> {
        let stream = open().await?;
        video.set_src_object(Some(&stream));
        // Autoplay of a muted camera preview is always allowed; a refusal shows a still.
        let _ = video.play();
        Ok(Self { stream, video })
    }
}

/// Starts the camera in `video` for a step: the live camera goes to `camera` (where
/// dropping it stops it), a failure to `error`.
pub fn start_into(
    video: leptos::prelude::NodeRef<leptos::html::Video>,
    camera: leptos::prelude::StoredValue<Option<LiveCamera>, leptos::prelude::LocalStorage>,
    error: leptos::prelude::RwSignal<Option<CameraError>>,
) {
    use leptos::prelude::*;
    error.set(None);
    leptos::task::spawn_local(async move {
        let Some(element) = video.get_untracked() else {
            return;
        };
        match LiveCamera::start(element).await {
            Ok(live) => camera.set_value(Some(live)),
            Err(e) => error.set(Some(e)),
        }
    });
}

impl Drop for LiveCamera {
    fn drop(&mut self) {
        stop(&self.stream);
        self.video.set_src_object(None);
    }
}
