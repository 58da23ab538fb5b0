//! The root component: language context, page frame and one route per wizard step.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::assistant::provide_assistant;
use crate::components::layout::Layout;
use crate::i18n::I18nContextProvider;
use crate::kiosk::provide_kiosk;
use crate::operator::{
    call_desk::CallDesk, calls::CallQueue, case::CaseView, queue::CaseQueue,
    sign_in::OperatorSignIn,
};
use crate::services::{cabinet::Cabinet, key_check::KeyCheck, revocation::Revocation};
use crate::steps::application::{
    agreement::Agreement, form::ApplicationForm, submitted::Submitted,
};
use crate::steps::digital_id::{
    account::AccountPage, confirm_document::ConfirmDocument, consent::Consent,
    create::CreateDigitalId, document::DocumentPhotos, liveness::Liveness, pin::SetPin,
    selfie::Selfie, sign_in::SignIn,
};
use crate::steps::status::StatusPage;
use crate::steps::{
    accessibility::AccessibilityStatement, applicant::Applicant, landing::Landing,
    not_found::NotFound, phone_code::PhoneCode, registered::Registered, video_call::VideoCall,
    webcam_check::WebcamCheck,
};
use crate::wizard::provide_wizard;

#[component]
pub fn App() -> impl IntoView {
    provide_wizard();
    provide_assistant();
    provide_kiosk();
    view! {
        <I18nContextProvider>
            <Router>
                <Layout>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Landing />
                        <Route path=path!("/apply/webcam") view=WebcamCheck />
                        <Route path=path!("/apply/applicant") view=Applicant />
                        <Route path=path!("/apply/code") view=PhoneCode />
                        <Route path=path!("/apply/registered") view=Registered />
                        <Route path=path!("/digital-id/sign-in") view=SignIn />
                        <Route path=path!("/digital-id/create") view=CreateDigitalId />
                        <Route path=path!("/digital-id/selfie") view=Selfie />
                        <Route path=path!("/digital-id/liveness") view=Liveness />
                        <Route path=path!("/digital-id/pin") view=SetPin />
                        <Route path=path!("/digital-id/document") view=DocumentPhotos />
                        <Route path=path!("/digital-id/document/confirm") view=ConfirmDocument />
                        <Route path=path!("/digital-id/documents") view=AccountPage />
                        <Route path=path!("/digital-id/consent") view=Consent />
                        <Route path=path!("/apply/agreement") view=Agreement />
                        <Route path=path!("/apply/form") view=ApplicationForm />
                        <Route path=path!("/apply/submitted") view=Submitted />
                        <Route path=path!("/status") view=StatusPage />
                        <Route path=path!("/status/:number") view=StatusPage />
                        <Route path=path!("/assistant/video-call") view=VideoCall />
                        <Route path=path!("/cabinet") view=Cabinet />
                        <Route path=path!("/revoke") view=Revocation />
                        <Route path=path!("/key-check") view=KeyCheck />
                        <Route path=path!("/operator") view=OperatorSignIn />
                        <Route path=path!("/operator/cases") view=CaseQueue />
                        <Route path=path!("/operator/cases/:id") view=CaseView />
                        <Route path=path!("/operator/calls") view=CallQueue />
                        <Route path=path!("/operator/calls/:id") view=CallDesk />
                        <Route path=path!("/accessibility") view=AccessibilityStatement />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
