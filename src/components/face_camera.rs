//! The camera preview of the face steps: mirrored like a mirror, with the oval the face
//! belongs in. The canvas beside it is where frames are drawn for the face worker.

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn FaceCamera(video: NodeRef<html::Video>, canvas: NodeRef<html::Canvas>) -> impl IntoView {
    view! {
        <div class="face-camera">
            // The preview is decoration for screen readers: the spoken guidance says it all.
            <video node_ref=video class="mirrored" autoplay muted playsinline aria-hidden="true"></video>
            <div class="oval" aria-hidden="true"></div>
            <canvas node_ref=canvas hidden></canvas>
        </div>
    }
}
