//! Focus follows the flow: after a move to another page of the app, the new page's
//! heading (`h1#step-title`, focusable by script only) takes the focus, so a screen
//! reader says where the user now is and Tab goes on from the top of the new step. The
//! first page loaded keeps the browser's own start (the skip link first).

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// How many frames to wait for a heading that comes a moment after its page.
const FRAMES: u32 = 30;

/// Call once, in the layout around every page.
pub fn focus_heading_on_navigation() {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|before| before != path) {
            focus_heading(path.clone(), FRAMES);
        }
        path
    });
}

fn focus_heading(path: String, frames_left: u32) {
    // After the new page is drawn.
    request_animation_frame(move || {
        let here = window().location().pathname().unwrap_or_default();
        if here != path {
            // Moved on again (a step that sent the user elsewhere): that move focuses.
            return;
        }
        let document = document();
        let heading = document
            .get_element_by_id("step-title")
            .or_else(|| document.query_selector("main h1").ok().flatten())
            .and_then(|heading| heading.dyn_into::<HtmlElement>().ok());
        match heading {
            Some(heading) => {
                if !heading.has_attribute("tabindex") {
                    let _ = heading.set_attribute("tabindex", "-1");
                }
                let _ = heading.focus();
            }
            None if frames_left > 0 => focus_heading(path, frames_left - 1),
            None => {}
        }
    });
}
