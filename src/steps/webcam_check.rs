//! Step 1: the webcam check. The browser asks for the camera, we learn whether it
//! works, and release it at once; each failure says what to do and offers a retry.

use leptos::prelude::*;
use leptos::task::spawn_local;

use leptos_router::hooks::use_navigate;

use crate::camera::{self, CameraError};
use crate::i18n::{t, use_i18n};
use crate::messages;
use crate::wizard::{use_wizard, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Checking,
    Available,
    Failed(CameraError),
}

#[component]
pub fn WebcamCheck() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = use_wizard();
    let navigate = use_navigate();
    let check = RwSignal::new(Check::Checking);
    let run = move || {
        check.set(Check::Checking);
        spawn_local(async move {
            let outcome = camera::probe().await;
            if outcome.is_ok() {
                wizard.update(|w| *w = w.clone().camera_checked());
            }
            check.set(match outcome {
                Ok(()) => Check::Available,
                Err(error) => Check::Failed(error),
            });
        });
    };
    run();

    let outcome = move || match check.get() {
        Check::Checking => view! {
            <p class="progress" aria-busy="true">{t!(i18n, webcam.checking)}</p>
        }
        .into_any(),
        Check::Available => {
            let navigate = navigate.clone();
            view! {
                <p class="success" id="webcam-result">{t!(i18n, webcam.available)}</p>
                <button type="button" class="primary"
                    on:click=move |_| navigate(Step::Applicant.path(), Default::default())>
                    {t!(i18n, next)}
                </button>
            }
            .into_any()
        }
        Check::Failed(error) => view! {
            <p class="error" id="webcam-result">
                {move || messages::camera(i18n.get_locale(), error)}
            </p>
            <button type="button" class="secondary" on:click=move |_| run()>
                {t!(i18n, webcam.retry)}
            </button>
        }
        .into_any(),
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, webcam.title)}</h1>
            <p>{t!(i18n, webcam.explain)}</p>
            <div role="status" aria-live="polite">{outcome}</div>
        </section>
    }
}
