//! Steps 14–16 of the guide: «Добавьте документ» — «Удостоверение» or «Паспорт», then
//! «Загрузить файл» (a JPEG) or «Сделать фото» with the card in a frame, the front
//! then the back, each shown before «Отправить» with a way to take it again.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use qoltanba_domain::api::Account;
use qoltanba_domain::{DocumentKind, Side};
use wasm_bindgen::JsCast;
use web_sys::{Blob, HtmlInputElement};

use crate::api::{ApiFailure, Bearer};
use crate::camera::{self, CameraError, LiveCamera};
use crate::i18n::{t, td_string, use_i18n};
use crate::messages;
use crate::photo::{self, FileProblem};
use crate::wizard::{guard, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    File,
    Camera,
}

/// Where one side's photo stands.
#[derive(Debug, Clone, PartialEq)]
enum Shot {
    Empty,
    /// Chosen or taken, shown, not sent yet (the blob is kept beside, by side).
    Ready {
        url: String,
    },
    Sending {
        url: String,
    },
    /// With the server; no preview after a reload.
    Sent {
        url: Option<String>,
    },
    Bad(FileProblem),
    Refused(ApiFailure),
}

impl Shot {
    fn url(&self) -> Option<String> {
        match self {
            Self::Ready { url } | Self::Sending { url } | Self::Sent { url: Some(url) } => {
                Some(url.clone())
            }
            _ => None,
        }
    }
}

#[component]
pub fn DocumentPhotos() -> impl IntoView {
    let i18n = use_i18n();
    let wizard = guard(Step::Document);
    let navigate = StoredValue::new(use_navigate());
    let kind = RwSignal::new(DocumentKind::IdCard);
    let method = RwSignal::new(None::<Method>);
    let shots = RwSignal::new(HashMap::from([
        (Side::Front, Shot::Empty),
        (Side::Back, Shot::Empty),
    ]));
    let blobs = StoredValue::new_local(HashMap::<Side, Blob>::new());
    let video = NodeRef::<html::Video>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let camera = StoredValue::new_local(None::<LiveCamera>);
    let camera_error = RwSignal::new(None::<CameraError>);
    let session = move || wizard.with_untracked(|w| w.member().map(|m| m.session.clone()));

    let shot = move |side: Side| shots.with(|s| s.get(&side).cloned().unwrap_or(Shot::Empty));
    let set_shot = move |side: Side, next: Shot| {
        shots.update(|s| {
            // An old preview's URL is released when it is replaced.
            if let Some(url) = s.get(&side).and_then(Shot::url) {
                if next.url().as_deref() != Some(url.as_str()) {
                    photo::revoke(&url);
                }
            }
            s.insert(side, next);
        })
    };
    on_cleanup(move || {
        shots.with_untracked(|s| {
            s.values()
                .filter_map(Shot::url)
                .for_each(|u| photo::revoke(&u))
        });
        camera.set_value(None);
    });

    // After a reload the photos already sent are with the server.
    if let Some(session) = session() {
        spawn_local(async move {
            let account: Result<Account, _> =
                Bearer(&session).get("/api/v1/digital-id/account").await;
            if let Ok(account) = account {
                for side in account.photos {
                    set_shot(side, Shot::Sent { url: None });
                }
            }
        });
    }

    // The zone is read from each photo as it is taken: which side carries it depends
    // on the kind, which the applicant may still change.
    let zones = RwSignal::new(HashMap::<Side, String>::new());
    let hold = move |side: Side, blob: Blob| match photo::object_url(&blob) {
        Some(url) => {
            blobs.update_value(|b| {
                b.insert(side, blob.clone());
            });
            set_shot(side, Shot::Ready { url });
            zones.update(|z| {
                z.remove(&side);
            });
            spawn_local(async move {
                if let Some(zone) = photo::read_zone(&blob).await {
                    zones.update(|z| {
                        z.insert(side, zone);
                    });
                }
            });
        }
        None => set_shot(side, Shot::Bad(FileProblem::NotJpeg)),
    };
    let choose_file = move |side: Side, input: HtmlInputElement| {
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        spawn_local(async move {
            let blob: Blob = file.unchecked_into();
            match photo::check(&blob).await {
                Ok(()) => hold(side, blob),
                Err(problem) => set_shot(side, Shot::Bad(problem)),
            }
        });
    };
    let current_side = move || {
        Side::ALL
            .into_iter()
            .find(|&s| !matches!(shot(s), Shot::Sent { .. }))
    };
    let shutter = move |_| {
        let (Some(side), Some(video), Some(canvas)) = (
            current_side(),
            video.get_untracked(),
            canvas.get_untracked(),
        ) else {
            return;
        };
        spawn_local(async move {
            if let Some(blob) = photo::capture(&video, &canvas).await {
                hold(side, blob);
            }
        });
    };
    let send = move |side: Side| {
        let (Some(session), Some(blob), Shot::Ready { url }) = (
            session(),
            blobs.with_value(|b| b.get(&side).cloned()),
            shot(side),
        ) else {
            return;
        };
        set_shot(side, Shot::Sending { url: url.clone() });
        spawn_local(async move {
            let path = format!("/api/v1/digital-id/document-photos/{}", side.code());
            match Bearer(&session).put_jpeg(&path, &blob).await {
                Ok(()) => set_shot(side, Shot::Sent { url: Some(url) }),
                Err(error) => {
                    photo::revoke(&url);
                    set_shot(side, Shot::Refused(error));
                }
            }
        });
    };
    let retake = move |side: Side| set_shot(side, Shot::Empty);
    let all_sent = move || {
        Side::ALL
            .into_iter()
            .all(|s| matches!(shot(s), Shot::Sent { .. }))
    };
    let next = move |_| {
        camera.set_value(None);
        let kind = kind.get_untracked();
        let zone = zones.with_untracked(|z| z.get(&kind.zone_side()).cloned());
        wizard.update(|w| *w = w.clone().photos_taken(kind, zone));
        navigate.with_value(|go| go(Step::ConfirmDocument.path(), Default::default()));
    };
    Effect::new(move |_| {
        if method.get() == Some(Method::Camera) && current_side().is_some() {
            if camera.with_value(Option::is_none) {
                camera::start_into(video, camera, camera_error);
            }
        } else {
            camera.set_value(None);
        }
    });

    let side_view = move |side: Side| {
        let input_id = format!("{}-file", side.code());
        view! {
            <fieldset class="document-side" id=format!("side-{}", side.code())>
                <legend>{move || messages::side(i18n.get_locale(), side)}</legend>
                <Show when=move || method.get() == Some(Method::File) && matches!(shot(side), Shot::Empty | Shot::Bad(_) | Shot::Refused(_))>
                    <label for=input_id.clone() class="button secondary">{t!(i18n, document.choose_file)}</label>
                    <input id=input_id.clone() type="file" accept="image/jpeg,.jpg,.jpeg" class="visually-hidden"
                        aria-describedby=format!("{}-status", side.code())
                        aria-invalid=move || matches!(shot(side), Shot::Bad(_) | Shot::Refused(_)).to_string()
                        on:change=move |ev| choose_file(side, event_target::<HtmlInputElement>(&ev)) />
                </Show>
                {move || shot(side).url().map(|url| view! {
                    <img class="document-preview" src=url
                        alt=move || messages::side(i18n.get_locale(), side) />
                })}
                <p class=move || match shot(side) { Shot::Bad(_) | Shot::Refused(_) => "error", Shot::Sent { .. } => "success", _ => "" }
                    role="status" id=format!("{}-status", side.code())>
                    {move || {
                        let locale = i18n.get_locale();
                        match shot(side) {
                            Shot::Empty | Shot::Ready { .. } => None,
                            Shot::Sending { .. } => Some(td_string!(locale, document.sending).to_owned()),
                            Shot::Sent { .. } => Some(td_string!(locale, document.sent).to_owned()),
                            Shot::Bad(problem) => Some(messages::file_problem(locale, problem).to_owned()),
                            Shot::Refused(error) => Some(messages::api(locale, &error)),
                        }
                    }}
                </p>
                <Show when=move || matches!(shot(side), Shot::Ready { .. } | Shot::Sent { .. })>
                    <div class="actions">
                        <Show when=move || matches!(shot(side), Shot::Ready { .. })>
                            <button type="button" class="primary" id=format!("{}-send", side.code())
                                on:click=move |_| send(side)>{t!(i18n, document.send)}</button>
                        </Show>
                        <button type="button" class="secondary" id=format!("{}-retake", side.code())
                            on:click=move |_| retake(side)>{t!(i18n, document.retake)}</button>
                    </div>
                </Show>
            </fieldset>
        }
    };

    view! {
        <section class="step" aria-labelledby="step-title">
            <h1 id="step-title" tabindex="-1">{t!(i18n, document.title)}</h1>
            <p>{t!(i18n, document.explain)}</p>
            <fieldset class="choice">
                <legend>{t!(i18n, document.kind)}</legend>
                {DocumentKind::ALL.into_iter().map(|k| view! {
                    <label>
                        <input type="radio" name="document-kind" value=k.code()
                            prop:checked=move || kind.get() == k
                            on:change=move |_| kind.set(k) />
                        {move || messages::document_kind(i18n.get_locale(), k)}
                    </label>
                }).collect_view()}
            </fieldset>
            <p>{t!(i18n, document.both_sides)}</p>
            <div class="actions">
                <button type="button" class=move || if method.get() == Some(Method::File) { "primary" } else { "secondary" }
                    id="method-file" aria-pressed=move || (method.get() == Some(Method::File)).to_string()
                    on:click=move |_| method.set(Some(Method::File))>{t!(i18n, document.upload)}</button>
                <button type="button" class=move || if method.get() == Some(Method::Camera) { "primary" } else { "secondary" }
                    id="method-camera" aria-pressed=move || (method.get() == Some(Method::Camera)).to_string()
                    on:click=move |_| method.set(Some(Method::Camera))>{t!(i18n, document.camera)}</button>
            </div>
            <div class="document-camera" hidden=move || method.get() != Some(Method::Camera) || current_side().is_none_or(|s| !matches!(shot(s), Shot::Empty | Shot::Bad(_) | Shot::Refused(_)))>
                <p id="camera-side" aria-live="polite">
                    {move || current_side().map(|s| t!(i18n, document.place_side, side = messages::side(i18n.get_locale(), s))())}
                </p>
                <div class="card-camera">
                    <video node_ref=video autoplay muted playsinline aria-hidden="true"></video>
                    <div class="card-frame" aria-hidden="true"></div>
                    <canvas node_ref=canvas hidden></canvas>
                </div>
                <button type="button" class="primary" id="document-shutter" on:click=shutter>
                    {t!(i18n, document.shutter)}
                </button>
                <p role="alert" class="error">
                    {move || camera_error.get().map(|e| messages::camera(i18n.get_locale(), e))}
                </p>
            </div>
            <Show when=move || method.get().is_some() || all_sent()>
                <div class="document-sides">
                    {side_view(Side::Front)}
                    {side_view(Side::Back)}
                </div>
            </Show>
            <button type="button" class="primary" id="to-confirm" disabled=move || !all_sent() on:click=next>
                {t!(i18n, document.next)}
            </button>
        </section>
    }
}
