//! The root component: language context, page frame and one route per wizard step.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::i18n::I18nContextProvider;
use crate::steps::{landing::Landing, not_found::NotFound, webcam_check::WebcamCheck};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Router>
                <Layout>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Landing />
                        <Route path=path!("/apply/webcam") view=WebcamCheck />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
