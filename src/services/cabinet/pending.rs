//! «Заявки на подтверждение»: the organisation's applications waiting for the first
//! head. «Подтвердить» and «Отклонить» sign `domain::decision`'s canonical text with
//! the head's signing key; the server checks it against his certificate.

use leptos::prelude::*;
use leptos::task::spawn_local;
use qoltanba_domain::api::{PendingApplication, SignedDecision};
use qoltanba_domain::decision::{Decision, Verdict};
use qoltanba_domain::moderation::Reason;
use qoltanba_pki::key_store::Opened;
use qoltanba_pki::proof::{self, Statement};

use crate::api::{self, ApiFailure};
use crate::i18n::{t, use_i18n};
use crate::messages::{self, Invalid};

const PENDING_API: &str = "/api/v1/cabinet/applications";

fn signed(
    application: &PendingApplication,
    verdict: Verdict,
    reason: Option<&str>,
    signer: &Opened,
) -> SignedDecision {
    let decision = Decision {
        number: &application.number,
        bin: &application.bin,
        iin: &application.iin,
        template: application.template,
        authentication_request: &application.authentication_request,
        signing_request: &application.signing_request,
        verdict,
        reason,
    };
    SignedDecision {
        verdict,
        reason: reason.map(str::to_owned),
        certificate: qoltanba_pki::to_pem(&signer.certificate),
        signature: proof::sign(&signer.key, Statement::Decision(&decision.canonical())),
    }
}

#[component]
pub fn Pending(
    signing: RwSignal<Option<Opened>, LocalStorage>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let applications = RwSignal::new(None::<Vec<PendingApplication>>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let done = RwSignal::new(None::<(Verdict, String)>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        changed.track();
        spawn_local(async move {
            match api::get::<Vec<PendingApplication>>(PENDING_API).await {
                Ok(list) => applications.set(Some(list)),
                Err(e) => failure.set(Some(e)),
            }
        });
    });
    let decide =
        move |application: PendingApplication, verdict: Verdict, reason: Option<String>| {
            let Some(body) = signing.with_untracked(|s| {
                s.as_ref()
                    .map(|signer| signed(&application, verdict, reason.as_deref(), signer))
            }) else {
                return;
            };
            busy.set(true);
            failure.set(None);
            done.set(None);
            spawn_local(async move {
                let number = application.number.as_str();
                let answer: Result<(), _> =
                    api::post(&format!("{PENDING_API}/{number}/decision"), &body).await;
                busy.set(false);
                match answer {
                    Ok(()) => {
                        done.set(Some((verdict, number.to_owned())));
                        changed.update(|n| *n += 1);
                    }
                    Err(e) => failure.set(Some(e)),
                }
            });
        };
    let may_sign = Signal::derive(move || !busy.get() && signing.with(Option::is_some));

    view! {
        <section aria-labelledby="pending-title">
            <h2 id="pending-title">{t!(i18n, cabinet.pending_title)}</h2>
            <p role="status" class="success" id="decision-done">
                {move || done.get().map(|(verdict, number)| match verdict {
                    Verdict::Confirm => t!(i18n, cabinet.confirmed, number).into_any(),
                    Verdict::Reject => t!(i18n, cabinet.rejected, number).into_any(),
                })}
            </p>
            <div role="alert" class="error" id="decision-error">
                {move || failure.get().map(|e| messages::api(locale(), &e))}
            </div>
            {move || applications.get().map(|list| if list.is_empty() {
                view! { <p id="pending-empty">{t!(i18n, cabinet.pending_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul id="pending" class="pending">
                        {list.into_iter().map(|application| view! {
                            <PendingItem application=application may_sign=may_sign
                                on_decide=move |(application, verdict, reason)| decide(application, verdict, reason) />
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn PendingItem(
    application: PendingApplication,
    may_sign: Signal<bool>,
    #[prop(into)] on_decide: Callback<(PendingApplication, Verdict, Option<String>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let reason = RwSignal::new(String::new());
    let reason_error = move || match Reason::parse(&reason.get()) {
        Err(e) if !reason.get().is_empty() && !Invalid::Reason(e).is_length() => Some(e),
        _ => None,
    };
    let can_reject = move || may_sign.get() && Reason::parse(&reason.get()).is_ok();
    let number = application.number.as_str().to_owned();
    let reason_id = format!("reason-{number}");
    let error_id = format!("reason-{number}-error");
    let template = application.template;
    let created_at = application.created_at;
    let item = StoredValue::new(application.clone());
    view! {
        <li class="pending-application" data-number=number.clone()>
            <dl>
                <dt>{t!(i18n, cabinet.number)}</dt>
                <dd>{number.clone()}</dd>
                <dt>{t!(i18n, status.full_name)}</dt>
                <dd>{application.full_name.clone()}</dd>
                <dt>{t!(i18n, applicant.iin)}</dt>
                <dd>{application.iin.clone()}</dd>
                <dt>{t!(i18n, cabinet.role)}</dt>
                <dd>{move || messages::template(locale(), template)}</dd>
                <dt>{t!(i18n, cabinet.created_at)}</dt>
                <dd>{move || messages::date_time(locale(), created_at)}</dd>
            </dl>
            <button type="button" class="primary confirm" disabled=move || !may_sign.get()
                on:click=move |_| on_decide.run((item.get_value(), Verdict::Confirm, None))>
                {t!(i18n, cabinet.confirm)}
            </button>
            <div class="field">
                <label for=reason_id.clone()>{t!(i18n, cabinet.reject_reason)}</label>
                <textarea id=reason_id class="reject-reason" rows="2" maxlength="500"
                    aria-describedby=error_id.clone()
                    aria-invalid=move || reason_error().is_some().to_string()
                    prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <p class="error" id=error_id>
                    {move || reason_error().map(|e| messages::invalid(locale(), Invalid::Reason(e)))}
                </p>
            </div>
            <button type="button" class="reject" disabled=move || !can_reject()
                on:click=move |_| on_decide.run((item.get_value(), Verdict::Reject, Some(reason.get_untracked().trim().to_owned())))>
                {t!(i18n, cabinet.reject)}
            </button>
        </li>
    }
}
