//! «Личный кабинет»: the holder signs in with his authentication certificate. The
//! server hands out a one-time challenge (short-lived, good once); the browser signs it
//! with the key from the holder's `.p12`, opened locally; the server checks the
//! certificate (ours, within its dates, not revoked, for authentication) and the
//! signature over its own challenge, then opens a cookie session.

use qoltanba_domain::api::{CabinetChallenge, CabinetProfile, CabinetSignIn};
use qoltanba_domain::{Bin, Iin, KeyPurpose, Template};
use qoltanba_pki::proof::{self, Statement};
use sha2::{Digest, Sha256};
use sqlx::{Row, SqlitePool};
use time::{Duration, OffsetDateTime};

use crate::ca::{Authority, CertifiedHolder, HolderCheckError};
use crate::secret::random_hex;
use crate::session_cookie::SessionCookie;

/// Long enough to open a `.p12` and sign, short enough that a stolen one is stale.
pub const CHALLENGE_SECONDS: i64 = 120;
pub const SESSION_MINUTES: i64 = 30;

pub const COOKIE: SessionCookie = SessionCookie {
    name: "qoltanba_cabinet",
    path: "/api/v1/cabinet",
    max_age_seconds: SESSION_MINUTES * 60,
};

#[derive(Debug, thiserror::Error)]
pub enum CabinetError {
    #[error("the challenge is unknown, used or expired")]
    Challenge,
    #[error("the certificate is refused: {0}")]
    Certificate(#[from] HolderCheckError),
    #[error("the certificate is revoked")]
    Revoked,
    #[error("the certificate is not for this (authentication to sign in, signing to decide)")]
    Purpose,
    #[error("the signature does not verify with the certificate's key")]
    Signature,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A signed-in holder, as his certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CabinetHolder {
    pub serial: String,
    pub iin: Iin,
    pub bin: Option<Bin>,
    pub template: Option<Template>,
}

impl From<CabinetHolder> for CabinetProfile {
    fn from(holder: CabinetHolder) -> Self {
        Self {
            iin: holder.iin.to_string(),
            bin: holder.bin.map(|b| b.to_string()),
            template: holder.template,
            may_confirm: holder.template.is_some_and(Template::may_confirm_for_head),
        }
    }
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub async fn challenge(
    db: &SqlitePool,
    now: OffsetDateTime,
) -> Result<CabinetChallenge, sqlx::Error> {
    let challenge = random_hex(32);
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM cabinet_challenges WHERE expires_at <= ?")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO cabinet_challenges (challenge, expires_at) VALUES (?, ?)")
        .bind(&challenge)
        .bind(now + Duration::seconds(CHALLENGE_SECONDS))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(CabinetChallenge {
        challenge,
        expires_in_seconds: CHALLENGE_SECONDS,
    })
}

/// Whether the certificate with this serial was revoked.
async fn revoked(db: &SqlitePool, serial: &str) -> Result<bool, sqlx::Error> {
    let revoked: Option<bool> =
        sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM application_keys WHERE serial = ?")
            .bind(serial)
            .fetch_optional(db)
            .await?;
    Ok(revoked.unwrap_or(false))
}

/// A presented certificate (PEM) for `purpose`: ours, within its dates, not revoked.
pub async fn certified(
    db: &SqlitePool,
    ca: &Authority,
    pem: &str,
    purpose: KeyPurpose,
    now: OffsetDateTime,
) -> Result<CertifiedHolder, CabinetError> {
    let certificate = qoltanba_pki::parse_certificate(pem.as_bytes())
        .map_err(|_| HolderCheckError::Unreadable)?;
    let holder = ca.check_holder(&certificate, now)?;
    if holder.purpose != purpose {
        return Err(CabinetError::Purpose);
    }
    if revoked(db, &holder.serial).await? {
        return Err(CabinetError::Revoked);
    }
    Ok(holder)
}

/// Checks the sign-in; the new session's token and the holder.
pub async fn sign_in(
    db: &SqlitePool,
    ca: &Authority,
    request: &CabinetSignIn,
    now: OffsetDateTime,
) -> Result<(String, CabinetHolder), CabinetError> {
    // The challenge is spent whatever follows: a failed try cannot be replayed either.
    let taken = sqlx::query(
        "UPDATE cabinet_challenges SET used_at = ?
         WHERE challenge = ? AND used_at IS NULL AND expires_at > ?",
    )
    .bind(now)
    .bind(&request.challenge)
    .bind(now)
    .execute(db)
    .await?
    .rows_affected();
    if taken != 1 {
        return Err(CabinetError::Challenge);
    }
    let holder = certified(
        db,
        ca,
        &request.certificate,
        KeyPurpose::Authentication,
        now,
    )
    .await?;
    let statement = Statement::SignIn {
        challenge: &request.challenge,
    };
    if !proof::verify(&holder.key, statement, &request.signature) {
        return Err(CabinetError::Signature);
    }
    let token = random_hex(32);
    sqlx::query(
        "INSERT INTO cabinet_sessions (token_hash, serial, iin, bin, template, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(&holder.serial)
    .bind(holder.iin.as_str())
    .bind(holder.bin.as_ref().map(Bin::as_str))
    .bind(holder.template.map(Template::code))
    .bind(now + Duration::minutes(SESSION_MINUTES))
    .execute(db)
    .await?;
    Ok((
        token,
        CabinetHolder {
            serial: holder.serial,
            iin: holder.iin,
            bin: holder.bin,
            template: holder.template,
        },
    ))
}

/// The holder of an unexpired session whose certificate is still good.
pub async fn by_token(
    db: &SqlitePool,
    token: &str,
    now: OffsetDateTime,
) -> Result<Option<CabinetHolder>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT serial, iin, bin, template FROM cabinet_sessions
         WHERE token_hash = ? AND expires_at > ?",
    )
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let serial: String = row.get("serial");
    if revoked(db, &serial).await? {
        return Ok(None);
    }
    let corrupt = || sqlx::Error::Decode("invalid row in cabinet_sessions".into());
    Ok(Some(CabinetHolder {
        iin: Iin::parse(row.get("iin")).map_err(|_| corrupt())?,
        bin: row
            .get::<Option<&str>, _>("bin")
            .map(Bin::parse)
            .transpose()
            .map_err(|_| corrupt())?,
        template: row
            .get::<Option<&str>, _>("template")
            .map(str::parse)
            .transpose()
            .map_err(|_| corrupt())?,
        serial,
    }))
}

pub async fn sign_out(db: &SqlitePool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM cabinet_sessions WHERE token_hash = ?")
        .bind(token_hash(token))
        .execute(db)
        .await?;
    Ok(())
}
