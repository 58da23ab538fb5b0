//! Signing in: the server's one-time challenge signed with the authentication key
//! (`pki::proof::Statement::SignIn`), sent with the certificate that vouches for it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::td_string;
use qoltanba_domain::api::{CabinetChallenge, CabinetProfile, CabinetSignIn};
use qoltanba_pki::key_store::Opened;
use qoltanba_pki::proof::{self, Statement};

use crate::api::{self, ApiFailure};
use crate::components::key_file::KeyFile;
use crate::i18n::{t, use_i18n};
use crate::messages;

async fn sign_in(opened: &Opened) -> Result<CabinetProfile, ApiFailure> {
    let challenge: CabinetChallenge = api::post("/api/v1/cabinet/challenges", &()).await?;
    let signature = proof::sign(
        &opened.key,
        Statement::SignIn {
            challenge: &challenge.challenge,
        },
    );
    let request = CabinetSignIn {
        challenge: challenge.challenge,
        certificate: qoltanba_pki::to_pem(&opened.certificate),
        signature,
    };
    api::post("/api/v1/cabinet/sessions", &request).await
}

#[component]
pub fn SignIn(#[prop(into)] on_signed_in: Callback<CabinetProfile>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let opened = move |opened: Opened| {
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let answer = sign_in(&opened).await;
            busy.set(false);
            match answer {
                Ok(profile) => on_signed_in.run(profile),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <p class="lead">{t!(i18n, cabinet.sign_in_lead)}</p>
        <KeyFile id="cabinet" busy=busy
            open_label=Signal::derive(move || td_string!(locale(), cabinet.sign_in))
            on_opened=opened />
        <div role="alert" class="error" id="cabinet-sign-in-error">
            {move || failure.get().map(|e| messages::api(locale(), &e))}
        </div>
    }
}
