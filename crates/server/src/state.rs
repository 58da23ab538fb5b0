use std::sync::Arc;

use qoltanba_domain::api::ClientSettings;
use sqlx::SqlitePool;

use crate::applications::Applications;
use crate::calls::Calls;
use crate::digital_id::DigitalIds;
use crate::face_check::FaceChecks;
use crate::phone_check::PhoneChecks;
use crate::phone_registration::PhoneRegistrations;
use crate::registries::{IndividualsRegistry, LegalEntitiesRegistry, MobileCitizens};
use crate::sms::SmsGateway;
use crate::vault::Vault;

/// What every handler can reach. Registries and the SMS gateway are trait objects so
/// that real services can replace the simulated ones without touching handlers.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub demo: bool,
    /// The public address is HTTPS: session cookies get `Secure`.
    pub secure_cookies: bool,
    pub individuals: Arc<dyn IndividualsRegistry>,
    pub legal_entities: Arc<dyn LegalEntitiesRegistry>,
    pub mobile_citizens: Arc<dyn MobileCitizens>,
    pub sms: Arc<dyn SmsGateway>,
    pub phone_checks: Arc<PhoneChecks>,
    /// Phones registered by operators during video calls.
    pub phone_registrations: Arc<PhoneRegistrations>,
    /// The operators' video-call queue (in memory only).
    pub calls: Arc<Calls>,
    pub face_checks: Arc<FaceChecks>,
    pub digital_ids: Arc<DigitalIds>,
    /// The registration and certification authority's applications.
    pub applications: Arc<Applications>,
    /// Seals selfies and document photos at rest.
    pub vault: Vault,
    /// What the SPA is told at start (kiosk mode).
    pub client_settings: ClientSettings,
}
