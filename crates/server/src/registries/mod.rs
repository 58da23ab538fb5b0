//! The state registries the authority consults, behind traits. The simulated ones
//! (`sqlite`) keep their data in our database; real ones would call the state services.

mod sqlite;

pub use sqlite::{SqliteIndividuals, SqliteLegalEntities, SqliteMobileCitizens};

use async_trait::async_trait;
pub use qoltanba_domain::DocumentKind;
use qoltanba_domain::{Bin, Iin, PhoneNumber};
use time::Date;

#[derive(Debug, thiserror::Error)]
#[error("registry unavailable: {0}")]
pub struct RegistryError(#[from] pub sqlx::Error);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub issued_on: Date,
    pub expires_on: Date,
    pub issuer: String,
}

/// A record of the individuals registry (ГБД ФЛ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub iin: Iin,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub birth_date: Date,
    pub documents: Vec<IdDocument>,
    /// Names the reference face photo (the photos come with the face checks).
    pub reference_photo: String,
}

/// A record of the legal entities registry (ГБД ЮЛ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub bin: Bin,
    pub name: String,
    pub first_head: Iin,
    /// Persons with signing rights, who may act for the first head.
    pub signers: Vec<Iin>,
}

#[async_trait]
pub trait IndividualsRegistry: Send + Sync {
    async fn find(&self, iin: &Iin) -> Result<Option<Person>, RegistryError>;
    /// The person's reference face photo (JPEG or PNG), for the face check.
    async fn reference_photo(&self, iin: &Iin) -> Result<Option<Vec<u8>>, RegistryError>;
}

#[async_trait]
pub trait LegalEntitiesRegistry: Send + Sync {
    async fn find(&self, bin: &Bin) -> Result<Option<Organisation>, RegistryError>;
}

/// The mobile citizens database (БМГ): which phone is registered for an IIN.
#[async_trait]
pub trait MobileCitizens: Send + Sync {
    async fn phone_of(&self, iin: &Iin) -> Result<Option<PhoneNumber>, RegistryError>;
    /// Registers (or re-registers) a phone; `by` names who did it, for the audit.
    async fn register(&self, iin: &Iin, phone: &PhoneNumber, by: &str)
        -> Result<(), RegistryError>;
}
