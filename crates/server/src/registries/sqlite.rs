//! The simulated registries, on `sim_*` tables.

use async_trait::async_trait;
use qoltanba_domain::{Bin, Iin, PhoneNumber};
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;

use super::{
    DocumentKind, IdDocument, IndividualsRegistry, LegalEntitiesRegistry, MobileCitizens,
    Organisation, Person, RegistryError,
};

/// A value the seed wrote that no longer parses is a broken database, not a user error.
fn corrupt(what: &str) -> RegistryError {
    RegistryError(sqlx::Error::Decode(
        format!("invalid {what} in a registry table").into(),
    ))
}

pub struct SqliteIndividuals(pub SqlitePool);

#[async_trait]
impl IndividualsRegistry for SqliteIndividuals {
    async fn find(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        let Some(row) = sqlx::query(
            "SELECT surname, name, patronymic, birth_date, reference_photo
             FROM sim_individuals WHERE iin = ?",
        )
        .bind(iin.as_str())
        .fetch_optional(&self.0)
        .await?
        else {
            return Ok(None);
        };
        let documents = sqlx::query(
            "SELECT kind, number, issued_on, expires_on, issuer
             FROM sim_id_documents WHERE iin = ? ORDER BY issued_on",
        )
        .bind(iin.as_str())
        .fetch_all(&self.0)
        .await?
        .into_iter()
        .map(|d| {
            let kind = match d.get::<String, _>("kind").as_str() {
                "id_card" => DocumentKind::IdCard,
                "passport" => DocumentKind::Passport,
                _ => return Err(corrupt("document kind")),
            };
            Ok(IdDocument {
                kind,
                number: d.get("number"),
                issued_on: d.get("issued_on"),
                expires_on: d.get("expires_on"),
                issuer: d.get("issuer"),
            })
        })
        .collect::<Result<_, _>>()?;
        Ok(Some(Person {
            iin: iin.clone(),
            surname: row.get("surname"),
            name: row.get("name"),
            patronymic: row.get("patronymic"),
            birth_date: row.get("birth_date"),
            documents,
            reference_photo: row.get("reference_photo"),
        }))
    }

    async fn reference_photo(&self, iin: &Iin) -> Result<Option<Vec<u8>>, RegistryError> {
        let name: Option<String> =
            sqlx::query_scalar("SELECT reference_photo FROM sim_individuals WHERE iin = ?")
                .bind(iin.as_str())
                .fetch_optional(&self.0)
                .await?;
        Ok(name
            .as_deref()
            .and_then(crate::demo::reference_photo)
            .map(<[u8]>::to_vec))
    }
}

pub struct SqliteLegalEntities(pub SqlitePool);

#[async_trait]
impl LegalEntitiesRegistry for SqliteLegalEntities {
    async fn find(&self, bin: &Bin) -> Result<Option<Organisation>, RegistryError> {
        let Some(row) =
            sqlx::query("SELECT name, first_head_iin FROM sim_legal_entities WHERE bin = ?")
                .bind(bin.as_str())
                .fetch_optional(&self.0)
                .await?
        else {
            return Ok(None);
        };
        let signers = sqlx::query_scalar::<_, String>(
            "SELECT iin FROM sim_signers WHERE bin = ? ORDER BY iin",
        )
        .bind(bin.as_str())
        .fetch_all(&self.0)
        .await?
        .iter()
        .map(|s| Iin::parse(s).map_err(|_| corrupt("signer IIN")))
        .collect::<Result<_, _>>()?;
        Ok(Some(Organisation {
            bin: bin.clone(),
            name: row.get("name"),
            first_head: Iin::parse(row.get::<&str, _>("first_head_iin"))
                .map_err(|_| corrupt("head IIN"))?,
            signers,
        }))
    }
}

pub struct SqliteMobileCitizens(pub SqlitePool);

#[async_trait]
impl MobileCitizens for SqliteMobileCitizens {
    async fn phone_of(&self, iin: &Iin) -> Result<Option<PhoneNumber>, RegistryError> {
        sqlx::query_scalar::<_, String>("SELECT phone FROM sim_mobile_phones WHERE iin = ?")
            .bind(iin.as_str())
            .fetch_optional(&self.0)
            .await?
            .map(|p| PhoneNumber::parse(&p).map_err(|_| corrupt("phone")))
            .transpose()
    }

    async fn register(
        &self,
        iin: &Iin,
        phone: &PhoneNumber,
        by: &str,
    ) -> Result<(), RegistryError> {
        sqlx::query(
            "INSERT INTO sim_mobile_phones (iin, phone, registered_at, registered_by) VALUES (?, ?, ?, ?)
             ON CONFLICT (iin) DO UPDATE SET phone = excluded.phone,
                 registered_at = excluded.registered_at, registered_by = excluded.registered_by",
        )
        .bind(iin.as_str())
        .bind(phone.as_str())
        .bind(OffsetDateTime::now_utc())
        .bind(by)
        .execute(&self.0)
        .await?;
        Ok(())
    }
}
