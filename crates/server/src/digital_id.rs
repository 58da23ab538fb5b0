//! Digital ID (steps 8–21 of the guide), on the server: the account made with a PIN
//! after the face check, the document with its photos, the comparison with the
//! individuals registry (a match verifies at once, anything else goes to an operator),
//! the account as its holder sees it, and the consent given with the PIN.

use std::sync::Arc;

use qoltanba_domain::api::{
    Account, AccountEvent, ConsentGranted, DocumentStatus, DocumentSubmission, DocumentView,
    HistoryEntry, IdentityOutcome, Mismatch, StoredData, StoredItem, VerifiedIdentity,
};
use qoltanba_domain::document::same_name;
use qoltanba_domain::{Document, DocumentKind, ErrorCode, Iin, Mrz, MrzFormat, Pin, Side};
use sqlx::{Row, SqlitePool};
use time::{Duration, OffsetDateTime};

use crate::argon;
use crate::document_photo::{self, PhotoError};
use crate::face_check::SESSION_MINUTES;
use crate::iin_locks;
use crate::registries::{IndividualsRegistry, Person, RegistryError};
use crate::vault::Vault;

/// Wrong PINs before the IIN is locked, as for one-time codes' lock time.
pub const PIN_ATTEMPTS: u32 = 5;
pub const PIN_LOCK_MINUTES: i64 = 15;

#[derive(Debug, thiserror::Error)]
pub enum DigitalIdError {
    #[error("the face check is not done in this session")]
    IdentityMissing,
    #[error("the PIN is not set")]
    PinMissing,
    #[error("both sides of the document must be photographed first")]
    PhotosMissing,
    #[error("a document was already submitted in this session")]
    AlreadySubmitted,
    #[error("no verified document to share")]
    NotVerified,
    #[error("wrong PIN")]
    WrongPin { attempts_left: u32 },
    #[error("locked after too many failures")]
    Locked { until: OffsetDateTime },
    #[error("invalid fields")]
    Fields(Vec<(&'static str, &'static str)>),
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl DigitalIdError {
    fn field(name: &'static str, error: &impl ErrorCode) -> Self {
        Self::Fields(vec![(name, error.code())])
    }
}

pub struct DigitalIds {
    db: SqlitePool,
    vault: Vault,
    individuals: Arc<dyn IndividualsRegistry>,
    media_retention: Duration,
}

impl DigitalIds {
    pub fn new(
        db: SqlitePool,
        vault: Vault,
        individuals: Arc<dyn IndividualsRegistry>,
        media_retention: Duration,
    ) -> Self {
        Self {
            db,
            vault,
            individuals,
            media_retention,
        }
    }

    async fn locked(&self, iin: &Iin, now: OffsetDateTime) -> Result<(), DigitalIdError> {
        match iin_locks::until(&self.db, iin, now).await? {
            Some(until) => Err(DigitalIdError::Locked { until }),
            None => Ok(()),
        }
    }

    /// The face check's outcome in this session: the selfie and liveness come first.
    async fn identity(&self, session: &str) -> Result<IdentityOutcome, DigitalIdError> {
        let outcome: Option<String> = sqlx::query_scalar(
            "SELECT outcome FROM liveness_challenges WHERE session = ? AND status = 'passed'
             ORDER BY finished_at DESC LIMIT 1",
        )
        .bind(session)
        .fetch_optional(&self.db)
        .await?
        .flatten();
        match outcome.as_deref() {
            Some("verified") => Ok(IdentityOutcome::Verified),
            Some("moderation") => Ok(IdentityOutcome::Moderation),
            _ => Err(DigitalIdError::IdentityMissing),
        }
    }

    async fn has_pin(&self, iin: &Iin) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query("SELECT 1 FROM digital_ids WHERE iin = ?")
            .bind(iin.as_str())
            .fetch_optional(&self.db)
            .await?
            .is_some())
    }

    async fn event(
        &self,
        iin: &Iin,
        event: AccountEvent,
        now: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO account_events (iin, at, event) VALUES (?, ?, ?)")
            .bind(iin.as_str())
            .bind(now)
            .bind(code_of(&event))
            .execute(&self.db)
            .await?;
        Ok(())
    }

    pub async fn signed_in(&self, iin: &Iin, now: OffsetDateTime) -> Result<(), sqlx::Error> {
        self.event(iin, AccountEvent::SignedIn, now).await
    }

    /// Step 13: the PIN, after the face check of this session. Setting it again (a new
    /// Digital ID after a new face check) replaces the old one.
    pub async fn set_pin(
        &self,
        session: &str,
        iin: &Iin,
        pin: &str,
        again: &str,
        now: OffsetDateTime,
    ) -> Result<(), DigitalIdError> {
        self.locked(iin, now).await?;
        self.identity(session).await?;
        let pin = Pin::choose(pin, again, iin.birth_date()).map_err(|e| {
            let field = if e == qoltanba_domain::PinError::Mismatch {
                "again"
            } else {
                "pin"
            };
            DigitalIdError::field(field, &e)
        })?;
        let hash = tokio::task::spawn_blocking(move || argon::hash(pin.as_str()))
            .await
            .expect("hashing does not panic");
        sqlx::query(
            "INSERT INTO digital_ids (iin, pin_hash, created_at) VALUES (?, ?, ?)
             ON CONFLICT (iin) DO UPDATE SET pin_hash = excluded.pin_hash, pin_failures = 0",
        )
        .bind(iin.as_str())
        .bind(hash)
        .bind(now)
        .execute(&self.db)
        .await?;
        self.event(iin, AccountEvent::PinSet, now).await?;
        Ok(())
    }

    /// Steps 15–16: one side of the document, replacing an earlier photo of it.
    pub async fn store_photo(
        &self,
        session: &str,
        iin: &Iin,
        side: Side,
        bytes: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), DigitalIdError> {
        self.locked(iin, now).await?;
        if !self.has_pin(iin).await? {
            return Err(DigitalIdError::PinMissing);
        }
        if self.submitted_in(session).await? {
            return Err(DigitalIdError::AlreadySubmitted);
        }
        let bytes = bytes.to_vec();
        let photo = tokio::task::spawn_blocking(move || document_photo::normalise(&bytes))
            .await
            .expect("decoding does not panic")?;
        sqlx::query(
            "INSERT INTO document_photos (session, side, iin, sealed, created_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (session, side) DO UPDATE
                 SET sealed = excluded.sealed, created_at = excluded.created_at, document = NULL",
        )
        .bind(session)
        .bind(side.code())
        .bind(iin.as_str())
        .bind(self.vault.seal(&photo, &photo_context(session, side)))
        .bind(now)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// A document of this session that stands (a rejected one may be replaced).
    async fn submitted_in(&self, session: &str) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("SELECT 1 FROM documents WHERE session = ? AND status != 'rejected'")
                .bind(session)
                .fetch_optional(&self.db)
                .await?
                .is_some(),
        )
    }

    /// The sides sent in this session and not yet part of a submitted document.
    async fn photos(&self, session: &str) -> Result<Vec<Side>, sqlx::Error> {
        let sides: Vec<String> = sqlx::query_scalar(
            "SELECT side FROM document_photos WHERE session = ? AND document IS NULL ORDER BY side DESC",
        )
        .bind(session)
        .fetch_all(&self.db)
        .await?;
        Ok(sides.iter().filter_map(|s| Side::from_code(s)).collect())
    }

    /// Step 17–18: the confirmed fields, checked, compared with the registry and kept.
    pub async fn submit(
        &self,
        session: &str,
        iin: &Iin,
        submission: DocumentSubmission,
        now: OffsetDateTime,
    ) -> Result<DocumentView, DigitalIdError> {
        self.locked(iin, now).await?;
        if !self.has_pin(iin).await? {
            return Err(DigitalIdError::PinMissing);
        }
        let identity = self.identity(session).await?;
        if self.submitted_in(session).await? {
            return Err(DigitalIdError::AlreadySubmitted);
        }
        if self.photos(session).await?.len() < Side::ALL.len() {
            return Err(DigitalIdError::PhotosMissing);
        }
        let today = now.date();
        let mut errors: Vec<(&'static str, &'static str)> = Vec::new();
        if !submission.confirmed {
            errors.push(("confirmed", "document.not_confirmed"));
        }
        let mrz = match submission.mrz.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match Mrz::parse(text, today) {
                Ok(mrz) if format_of(submission.kind) == mrz.format => Some(mrz),
                Ok(_) => {
                    errors.push(("mrz", "mrz.kind"));
                    None
                }
                Err(e) => {
                    errors.push(("mrz", e.code()));
                    None
                }
            },
        };
        let document = match Document::parse(submission.kind, &submission.fields, today) {
            Ok(document) => Some(document),
            Err(fields) => {
                errors.extend(fields.iter().map(|(f, e)| (f.code(), e.code())));
                None
            }
        };
        let Some(document) = document.filter(|_| errors.is_empty()) else {
            return Err(DigitalIdError::Fields(errors));
        };
        let person = self.individuals.find(iin).await?;
        let mut mismatches = compare(&document, person.as_ref(), mrz.as_ref(), iin);
        if identity == IdentityOutcome::Moderation {
            mismatches.push(Mismatch::Face);
        }
        let status = if mismatches.is_empty() {
            DocumentStatus::Verified
        } else {
            DocumentStatus::Moderation
        };
        let id = crate::secret::random_id();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO documents (id, iin, session, kind, number, expires_on, fields, sources, mrz,
                 identity, mismatches, status, language, submitted_at, decided_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(iin.as_str())
        .bind(session)
        .bind(document.kind.code())
        .bind(&document.number)
        .bind(document.expires_on)
        .bind(serde_json::to_string(&submission.fields).expect("fields serialise"))
        .bind(serde_json::to_string(&submission.sources).expect("sources serialise"))
        .bind(submission.mrz.as_deref())
        .bind(code_of(&identity))
        .bind(serde_json::to_string(&mismatches).expect("mismatches serialise"))
        .bind(code_of(&status))
        .bind(code_of(&submission.language))
        .bind(now)
        .bind((status == DocumentStatus::Verified).then_some(now))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE document_photos SET document = ? WHERE session = ?")
            .bind(&id)
            .bind(session)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let event = match status {
            DocumentStatus::Verified => AccountEvent::DocumentVerified,
            _ => AccountEvent::DocumentSentToModeration,
        };
        self.event(iin, event, now).await?;
        if !mismatches.is_empty() {
            // What differed, for the audit; the values themselves stay out of the log.
            tracing::info!(document = id, ?mismatches, "document sent to moderation");
        }
        Ok(DocumentView {
            kind: document.kind,
            number: document.number,
            expires_on: document.expires_on,
            status,
            reason: None,
        })
    }

    /// The latest document of the person, with its id and whether its decision is unseen.
    async fn latest_document(
        &self,
        iin: &Iin,
    ) -> Result<Option<(String, DocumentView, bool)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, kind, number, expires_on, status, reason, decided_by IS NOT NULL AND seen = 0 AS unseen
             FROM documents WHERE iin = ? ORDER BY submitted_at DESC LIMIT 1",
        )
        .bind(iin.as_str())
        .fetch_optional(&self.db)
        .await?;
        Ok(row.map(|row| {
            let view = DocumentView {
                kind: DocumentKind::from_code(row.get("kind")).unwrap_or(DocumentKind::IdCard),
                number: row.get("number"),
                expires_on: row.get("expires_on"),
                status: status_of(row.get("status")),
                reason: row.get("reason"),
            };
            (row.get("id"), view, row.get("unseen"))
        }))
    }

    /// «Документы», «История операций», «Данные и безопасность».
    pub async fn account(
        &self,
        session: &str,
        iin: &Iin,
        now: OffsetDateTime,
    ) -> Result<Account, DigitalIdError> {
        let identity = match self.identity(session).await {
            Ok(outcome) => Some(outcome),
            Err(DigitalIdError::IdentityMissing) => None,
            Err(e) => return Err(e),
        };
        let pin_set = self.has_pin(iin).await?;
        let photos = self.photos(session).await?;
        let document = self.latest_document(iin).await?;
        let history = sqlx::query(
            "SELECT at, event FROM account_events WHERE iin = ? ORDER BY id DESC LIMIT 50",
        )
        .bind(iin.as_str())
        .fetch_all(&self.db)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(HistoryEntry {
                at: row.get("at"),
                event: serde_json::from_value(serde_json::Value::String(row.get("event"))).ok()?,
            })
        })
        .collect();
        let stored = self.stored(iin, pin_set, document.is_some(), now).await?;
        Ok(Account {
            iin: iin.to_string(),
            identity,
            pin_set,
            photos,
            unseen: document
                .as_ref()
                .map_or(0, |(_, _, unseen)| u32::from(*unseen)),
            document: document.map(|(_, view, _)| view),
            history,
            stored,
        })
    }

    /// What is held about the person and until when.
    async fn stored(
        &self,
        iin: &Iin,
        pin_set: bool,
        has_document: bool,
        now: OffsetDateTime,
    ) -> Result<Vec<StoredItem>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT 'selfie' AS what, s.created_at, d.status, d.decided_at
               FROM selfies s LEFT JOIN documents d ON d.session = s.session WHERE s.iin = ?
             UNION ALL
             SELECT 'document_' || p.side, p.created_at, d.status, d.decided_at
               FROM document_photos p LEFT JOIN documents d ON d.id = p.document WHERE p.iin = ?",
        )
        .bind(iin.as_str())
        .bind(iin.as_str())
        .fetch_all(&self.db)
        .await?;
        let mut stored: Vec<StoredItem> = rows
            .iter()
            .filter_map(|row| {
                let data =
                    serde_json::from_value(serde_json::Value::String(row.get("what"))).ok()?;
                let status: Option<String> = row.get("status");
                let decided_at: Option<OffsetDateTime> = row.get("decided_at");
                let created_at: OffsetDateTime = row.get("created_at");
                let deleted_at = match (status.as_deref(), decided_at) {
                    (None, _) => Some(created_at + Duration::minutes(SESSION_MINUTES)),
                    (Some("moderation"), _) | (_, None) => None,
                    (Some(_), Some(decided)) => Some(decided + self.media_retention),
                };
                Some(StoredItem {
                    data,
                    deleted_at: deleted_at.map(|at| at.max(now)),
                })
            })
            .collect();
        if has_document {
            stored.push(StoredItem {
                data: StoredData::DocumentFields,
                deleted_at: None,
            });
        }
        if pin_set {
            stored.push(StoredItem {
                data: StoredData::PinHash,
                deleted_at: None,
            });
        }
        Ok(stored)
    }

    /// «Посмотреть»: the holder has read the decision.
    pub async fn mark_seen(&self, iin: &Iin) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE documents SET seen = 1 WHERE iin = ? AND decided_by IS NOT NULL")
            .bind(iin.as_str())
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// Steps 20–21: the holder lets the NCA service have the verified identity,
    /// confirming with the PIN. Wrong PINs count and lock the IIN.
    pub async fn consent(
        &self,
        session: &str,
        iin: &Iin,
        pin: &str,
        now: OffsetDateTime,
    ) -> Result<ConsentGranted, DigitalIdError> {
        self.locked(iin, now).await?;
        let pin = Pin::parse(pin).map_err(|e| DigitalIdError::field("pin", &e))?;
        let hash: Option<String> =
            sqlx::query_scalar("SELECT pin_hash FROM digital_ids WHERE iin = ?")
                .bind(iin.as_str())
                .fetch_optional(&self.db)
                .await?;
        let hash = hash.ok_or(DigitalIdError::PinMissing)?;
        let (document_id, document, _) = self
            .latest_document(iin)
            .await?
            .filter(|(_, d, _)| d.status == DocumentStatus::Verified && d.expires_on >= now.date())
            .ok_or(DigitalIdError::NotVerified)?;
        let right = tokio::task::spawn_blocking(move || argon::matches(pin.as_str(), &hash))
            .await
            .expect("verifying does not panic");
        if !right {
            return Err(self.wrong_pin(iin, now).await?);
        }
        let person = self
            .individuals
            .find(iin)
            .await?
            .ok_or(DigitalIdError::NotVerified)?;
        let consent = crate::secret::random_id();
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE digital_ids SET pin_failures = 0 WHERE iin = ?")
            .bind(iin.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO consents (id, iin, document, session, granted_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&consent)
        .bind(iin.as_str())
        .bind(&document_id)
        .bind(session)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.event(iin, AccountEvent::ConsentGiven, now).await?;
        // The names are the registry's: what the certificate will carry.
        Ok(ConsentGranted {
            consent,
            identity: VerifiedIdentity {
                iin: iin.to_string(),
                surname: person.surname,
                name: person.name,
                patronymic: person.patronymic,
                birth_date: person.birth_date,
                document,
            },
        })
    }

    async fn wrong_pin(
        &self,
        iin: &Iin,
        now: OffsetDateTime,
    ) -> Result<DigitalIdError, sqlx::Error> {
        let failures: i64 = sqlx::query_scalar(
            "UPDATE digital_ids SET pin_failures = pin_failures + 1 WHERE iin = ? RETURNING pin_failures",
        )
        .bind(iin.as_str())
        .fetch_one(&self.db)
        .await?;
        self.event(iin, AccountEvent::WrongPin, now).await?;
        let attempts_left = PIN_ATTEMPTS.saturating_sub(failures as u32);
        if attempts_left > 0 {
            return Ok(DigitalIdError::WrongPin { attempts_left });
        }
        let until = now + Duration::minutes(PIN_LOCK_MINUTES);
        iin_locks::impose(&self.db, iin, until, "pin").await?;
        sqlx::query("UPDATE digital_ids SET pin_failures = 0 WHERE iin = ?")
            .bind(iin.as_str())
            .execute(&self.db)
            .await?;
        self.event(iin, AccountEvent::PinLocked, now).await?;
        Ok(DigitalIdError::Locked { until })
    }
}

/// What a sealed document photo is bound to.
pub fn photo_context(session: &str, side: Side) -> String {
    format!("document:{session}:{}", side.code())
}

fn format_of(kind: DocumentKind) -> MrzFormat {
    match kind {
        DocumentKind::IdCard => MrzFormat::Td1,
        DocumentKind::Passport => MrzFormat::Td3,
    }
}

/// Everything in which the applicant's document and the registry disagree.
fn compare(
    document: &Document,
    person: Option<&Person>,
    mrz: Option<&Mrz>,
    iin: &Iin,
) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    let Some(person) = person else {
        return vec![Mismatch::DocumentNumber];
    };
    match person
        .documents
        .iter()
        .find(|d| d.kind == document.kind && d.number == document.number)
    {
        None => mismatches.push(Mismatch::DocumentNumber),
        Some(registered) if registered.expires_on != document.expires_on => {
            mismatches.push(Mismatch::Expiry)
        }
        Some(_) => {}
    }
    if !same_name(&document.surname, &person.surname) {
        mismatches.push(Mismatch::Surname);
    }
    if !same_name(&document.name, &person.name) {
        mismatches.push(Mismatch::Name);
    }
    let patronymic = |p: Option<&String>| p.map(String::as_str).unwrap_or_default().to_owned();
    if !same_name(
        &patronymic(document.patronymic.as_ref()),
        &patronymic(person.patronymic.as_ref()),
    ) {
        mismatches.push(Mismatch::Patronymic);
    }
    if document.birth_date != person.birth_date {
        mismatches.push(Mismatch::BirthDate);
    }
    if let Some(mrz) = mrz {
        if !document.differences_from(mrz).is_empty() {
            mismatches.push(Mismatch::Mrz);
        }
        if mrz.iin.as_ref().is_some_and(|zone| zone != iin) {
            mismatches.push(Mismatch::Iin);
        }
    }
    mismatches
}

/// The snake_case name serde gives a unit variant, as stored in the database.
pub fn code_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(code)) => code,
        _ => unreachable!("only unit variants are stored by name"),
    }
}

fn status_of(code: &str) -> DocumentStatus {
    serde_json::from_value(serde_json::Value::String(code.to_owned()))
        .unwrap_or(DocumentStatus::Moderation)
}
