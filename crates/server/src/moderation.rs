//! Moderation: a document Digital ID could not verify (the registry disagrees, or the
//! face was not clearly the registry photo's) waits for an operator, who compares the
//! photos, the typed fields and the registry's record, then approves or rejects it. The
//! applicant learns of the decision by SMS and reads it in the Digital ID account.

use std::collections::BTreeMap;

use qoltanba_domain::api::{
    AccountEvent, CaseDetail, CaseSummary, Decision, IdentityOutcome, Language, Mismatch,
    RegistryRecord,
};
use qoltanba_domain::moderation::{Reason, ReasonError, RegistryDocument};
use qoltanba_domain::{DocumentField, DocumentFields, DocumentKind, FieldSource, Iin, Side};
use serde::de::DeserializeOwned;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;

use crate::biometrics::decode_base64;
use crate::digital_id::{code_of, photo_context};
use crate::face_check::selfie_context;
use crate::registries::{Person, RegistryError};
use crate::sms_texts;
use crate::state::AppState;
use crate::vault::VaultError;

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("no case with this id waits in the queue")]
    NotInQueue,
    #[error("the case was decided already")]
    AlreadyDecided,
    #[error("this photo is not held any more")]
    NoPhoto,
    #[error("the rejection's reason: {0}")]
    Reason(#[from] ReasonError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The pictures of a case: the selfie of the face check and the document's two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CasePhoto {
    Selfie,
    Document(Side),
}

impl CasePhoto {
    pub const ALL: [Self; 3] = [
        Self::Selfie,
        Self::Document(Side::Front),
        Self::Document(Side::Back),
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Selfie => "selfie",
            Self::Document(side) => side.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// A stored value that does not read back is a broken database, not a user error.
fn corrupt(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("invalid {what} in a moderation case").into())
}

fn json<T: DeserializeOwned>(row: &SqliteRow, column: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(row.get(column)).map_err(|_| corrupt(column))
}

fn iin_of(row: &SqliteRow) -> Result<Iin, sqlx::Error> {
    Iin::parse(row.get::<&str, _>("iin")).map_err(|_| corrupt("iin"))
}

/// The applicant's name as typed: surname, name, patronymic.
fn full_name(fields: &DocumentFields) -> String {
    [
        DocumentField::Surname,
        DocumentField::Name,
        DocumentField::Patronymic,
    ]
    .iter()
    .filter_map(|f| fields.get(f).map(|v| v.trim()))
    .filter(|v| !v.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

fn summary(row: &SqliteRow) -> Result<CaseSummary, sqlx::Error> {
    let fields: DocumentFields = json(row, "fields")?;
    Ok(CaseSummary {
        id: row.get("id"),
        iin: iin_of(row)?.to_string(),
        full_name: full_name(&fields),
        kind: DocumentKind::from_code(row.get("kind")).ok_or_else(|| corrupt("kind"))?,
        submitted_at: row.get("submitted_at"),
        mismatches: json::<Vec<Mismatch>>(row, "mismatches")?,
    })
}

const CASE_COLUMNS: &str =
    "id, iin, session, kind, fields, sources, mrz, identity, mismatches, submitted_at";

/// The queue, oldest first: whoever waited longest is decided first.
pub async fn queue(db: &SqlitePool) -> Result<Vec<CaseSummary>, ModerationError> {
    let rows = sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM documents WHERE status = 'moderation' ORDER BY submitted_at, id"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
}

async fn queued(db: &SqlitePool, id: &str) -> Result<SqliteRow, ModerationError> {
    sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM documents WHERE id = ? AND status = 'moderation'"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(ModerationError::NotInQueue)
}

/// A case in the queue, whole.
pub async fn case(state: &AppState, id: &str) -> Result<CaseDetail, ModerationError> {
    let row = queued(&state.db, id).await?;
    let session: String = row.get("session");
    let identity = match row.get::<&str, _>("identity") {
        "verified" => IdentityOutcome::Verified,
        "moderation" => IdentityOutcome::Moderation,
        _ => return Err(corrupt("identity").into()),
    };
    let registry = state.individuals.find(&iin_of(&row)?).await?;
    let sides: Vec<String> =
        sqlx::query_scalar("SELECT side FROM document_photos WHERE session = ?")
            .bind(&session)
            .fetch_all(&state.db)
            .await?;
    let selfie = sqlx::query("SELECT 1 FROM selfies WHERE session = ?")
        .bind(&session)
        .fetch_optional(&state.db)
        .await?;
    // Retention may have deleted some already: the operator sees what is left.
    let held = CasePhoto::ALL
        .into_iter()
        .filter(|p| match p {
            CasePhoto::Selfie => selfie.is_some(),
            CasePhoto::Document(side) => sides.iter().any(|s| s == side.code()),
        })
        .map(|p| p.code().to_owned())
        .collect();
    Ok(CaseDetail {
        summary: summary(&row)?,
        fields: json(&row, "fields")?,
        sources: json::<BTreeMap<DocumentField, FieldSource>>(&row, "sources")?,
        mrz: row.get("mrz"),
        identity,
        registry: registry.map(registry_record),
        photos: held,
    })
}

fn registry_record(person: Person) -> RegistryRecord {
    RegistryRecord {
        surname: person.surname,
        name: person.name,
        patronymic: person.patronymic,
        birth_date: person.birth_date,
        documents: person
            .documents
            .into_iter()
            .map(|d| {
                RegistryDocument {
                    kind: d.kind,
                    number: d.number,
                    expires_on: d.expires_on,
                }
                .to_string()
            })
            .collect(),
    }
}

/// A photo of a case in the queue, as the file the camera made (JPEG).
pub async fn photo(
    state: &AppState,
    id: &str,
    photo: CasePhoto,
) -> Result<Vec<u8>, ModerationError> {
    let session: String = queued(&state.db, id).await?.get("session");
    match photo {
        CasePhoto::Selfie => {
            let sealed: Vec<u8> = sqlx::query_scalar("SELECT image FROM selfies WHERE session = ?")
                .bind(&session)
                .fetch_optional(&state.db)
                .await?
                .ok_or(ModerationError::NoPhoto)?;
            // The selfie is kept as the page sent it: base64 text.
            let text = state.vault.open(&sealed, &selfie_context(&session))?;
            let text = String::from_utf8(text).map_err(|_| corrupt("selfie"))?;
            Ok(decode_base64(&text).map_err(|_| corrupt("selfie"))?)
        }
        CasePhoto::Document(side) => {
            let sealed: Vec<u8> = sqlx::query_scalar(
                "SELECT sealed FROM document_photos WHERE session = ? AND side = ?",
            )
            .bind(&session)
            .bind(side.code())
            .fetch_optional(&state.db)
            .await?
            .ok_or(ModerationError::NoPhoto)?;
            Ok(state.vault.open(&sealed, &photo_context(&session, side))?)
        }
    }
}

/// Decides a case once: a second decision (a double click, another operator) finds it
/// out of the queue. Then the applicant gets an SMS in the language of the application.
pub async fn decide(
    state: &AppState,
    id: &str,
    decision: &Decision,
    operator: &str,
    now: OffsetDateTime,
) -> Result<(), ModerationError> {
    let (status, event, reason) = match decision {
        Decision::Approve => ("verified", AccountEvent::DocumentApproved, None),
        Decision::Reject { reason } => (
            "rejected",
            AccountEvent::DocumentRejected,
            Some(Reason::parse(reason)?),
        ),
    };
    let mut tx = state.db.begin().await?;
    let decided = sqlx::query(
        "UPDATE documents SET status = ?, decided_at = ?, decided_by = ?, reason = ?
         WHERE id = ? AND status = 'moderation' RETURNING iin, language",
    )
    .bind(status)
    .bind(now)
    .bind(operator)
    .bind(reason.as_ref().map(Reason::as_str))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = decided else {
        let exists = sqlx::query("SELECT 1 FROM documents WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(match exists {
            Some(_) => ModerationError::AlreadyDecided,
            None => ModerationError::NotInQueue,
        });
    };
    let iin = iin_of(&row)?;
    let language = Language::from_code(row.get("language"));
    sqlx::query("INSERT INTO account_events (iin, at, event) VALUES (?, ?, ?)")
        .bind(iin.as_str())
        .bind(now)
        .bind(code_of(&event))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    let text = match decision {
        Decision::Approve => sms_texts::document_approved(language),
        Decision::Reject { .. } => sms_texts::document_rejected(language),
    };
    // The decision stands whatever happens to the SMS: the account shows it anyway, and
    // failing here would only make the operator decide again and meet a 409.
    crate::sms::notify(state, &iin, text, "a moderation decision").await;
    Ok(())
}
