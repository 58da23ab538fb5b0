//! The audit trail of applications: append-only rows, each holding the SHA-256 of its
//! own content and of the row before it, one chain across the whole table. Rows are
//! appended inside the transaction that makes the change they record, after that
//! transaction has written, so SQLite's single writer keeps the chain linear.

use qoltanba_domain::api::AuditEntry;
use qoltanba_domain::{ApplicationNumber, Bin};
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, Transaction};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The hash the first row links to.
const GENESIS: [u8; 32] = [0; 32];

/// Who did what a row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    RegistrationAuthority,
    CertificationAuthority,
    Applicant,
    /// The server's own timers (an application expiring).
    System,
    /// The organisation's first head, deciding in his cabinet.
    FirstHead,
    /// An employee with signing rights, deciding for the first head.
    ActingSigner,
}

impl Actor {
    pub fn code(self) -> &'static str {
        match self {
            Self::RegistrationAuthority => "registration_authority",
            Self::CertificationAuthority => "certification_authority",
            Self::Applicant => "applicant",
            Self::System => "system",
            Self::FirstHead => "first_head",
            Self::ActingSigner => "acting_signer",
        }
    }
}

struct Entry<'a> {
    id: i64,
    application: &'a str,
    event: &'a str,
    actor: &'a str,
    detail: Option<&'a str>,
    at: OffsetDateTime,
}

/// Each field length-prefixed, so that no two different rows hash alike.
fn hash(previous: &[u8], row: &Entry<'_>) -> Vec<u8> {
    let at = row.at.format(&Rfc3339).expect("a UTC time formats");
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(row.id.to_be_bytes());
    for field in [
        Some(row.application),
        Some(row.event),
        Some(row.actor),
        row.detail,
        Some(at.as_str()),
    ] {
        match field {
            Some(text) => {
                hasher.update((text.len() as u64).to_be_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update(u64::MAX.to_be_bytes()),
        }
    }
    hasher.finalize().to_vec()
}

/// What happened to an application, as its audit row records it.
pub struct Happened<'a> {
    pub event: &'a str,
    pub actor: Actor,
    pub detail: Option<&'a serde_json::Value>,
}

/// Appends events in their order, in one statement; call it after the transaction's
/// first write.
pub async fn append(
    tx: &mut Transaction<'_, Sqlite>,
    application: &ApplicationNumber,
    events: &[Happened<'_>],
    at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let last = sqlx::query("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let (mut id, mut previous) = match &last {
        Some(row) => (row.get::<i64, _>("id") + 1, row.get::<Vec<u8>, _>("hash")),
        None => (1, GENESIS.to_vec()),
    };
    let details: Vec<Option<String>> = events
        .iter()
        .map(|e| e.detail.map(serde_json::Value::to_string))
        .collect();
    let mut insert = QueryBuilder::<Sqlite>::new(
        "INSERT INTO audit_events (id, application, event, actor, detail, at, prev_hash, hash) ",
    );
    insert.push_values(
        events.iter().zip(&details),
        |mut values, (event, detail)| {
            let entry = Entry {
                id,
                application: application.as_str(),
                event: event.event,
                actor: event.actor.code(),
                detail: detail.as_deref(),
                at,
            };
            let hash = hash(&previous, &entry);
            values
                .push_bind(id)
                .push_bind(entry.application)
                .push_bind(entry.event)
                .push_bind(entry.actor)
                .push_bind(entry.detail)
                .push_bind(at)
                .push_bind(std::mem::replace(&mut previous, hash.clone()))
                .push_bind(hash);
            id += 1;
        },
    );
    insert.build().execute(&mut **tx).await?;
    Ok(())
}

/// Where the chain breaks, if it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every row links to the one before and hashes to what it holds.
    Intact { rows: u64 },
    /// The first row that does not.
    Broken { id: i64 },
}

/// Checks the whole chain, oldest first.
pub async fn verify(db: &SqlitePool) -> Result<Verdict, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, application, event, actor, detail, at, prev_hash, hash
         FROM audit_events ORDER BY id",
    )
    .fetch_all(db)
    .await?;
    let mut previous = GENESIS.to_vec();
    for (expected_id, row) in (1..).zip(rows.iter()) {
        let id: i64 = row.get("id");
        let ok = id == expected_id
            && row.get::<&[u8], _>("prev_hash") == previous.as_slice()
            && row.get::<&[u8], _>("hash") == hash(&previous, &parsed(row)).as_slice();
        if !ok {
            return Ok(Verdict::Broken { id });
        }
        previous = row.get("hash");
    }
    Ok(Verdict::Intact {
        rows: rows.len() as u64,
    })
}

fn parsed(row: &SqliteRow) -> Entry<'_> {
    Entry {
        id: row.get("id"),
        application: row.get("application"),
        event: row.get("event"),
        actor: row.get("actor"),
        detail: row.get("detail"),
        at: row.get("at"),
    }
}

/// Whose events a trail shows.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Application(&'a ApplicationNumber),
    /// Every application of the organisation, for its first head.
    Organisation(&'a Bin),
}

/// The events in `scope`, oldest first.
pub async fn trail(db: &SqlitePool, scope: Scope<'_>) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let (condition, value) = match scope {
        Scope::Application(number) => ("e.application = ?", number.as_str()),
        Scope::Organisation(bin) => ("a.bin = ?", bin.as_str()),
    };
    let rows = sqlx::query(&format!(
        "SELECT e.id, e.application, e.event, e.actor, e.detail, e.at, e.hash
         FROM audit_events e JOIN applications a ON a.number = e.application
         WHERE {condition} ORDER BY e.id"
    ))
    .bind(value)
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .map(|row| AuditEntry {
            application: row.get("application"),
            event: row.get("event"),
            actor: row.get("actor"),
            detail: row.get("detail"),
            at: row.get("at"),
            hash: hex::encode(row.get::<&[u8], _>("hash")),
        })
        .collect())
}
