//! An operator registers a phone for an IIN in the mobile-citizens database (step 5 of
//! the guide, for applicants without a registered phone): on the video call he types
//! the IIN and the phone, a one-time code goes to that phone, the applicant reads it
//! aloud and the operator types it. Each registration is a row kept for the audit:
//! which phone, for whom, by which operator, during which call, and when.

use qoltanba_domain::otp::{OTP_RESEND_AFTER_SECONDS, OTP_TTL_SECONDS};
use qoltanba_domain::{Iin, OtpCode, PhoneNumber};
use sqlx::{Row, SqlitePool};
use time::{Duration, OffsetDateTime};

use crate::one_time_codes::{self, CodeTable, Codes};
use crate::phone_check::Started;
use crate::registries::{MobileCitizens, RegistryError};
use crate::secret::ServerSecret;

/// How long a registration that was never confirmed keeps its phone: past its code's
/// expiry the operator still learns that the code expired, then the row goes.
const KEEP_UNCONFIRMED: Duration = Duration::hours(1);

#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("a code was sent for this IIN moments ago")]
    RateLimited { retry_after: Duration },
    /// Unknown, or another operator's.
    #[error("no such registration")]
    NotFound,
    /// Also when the wrong codes used up the attempts: a new code must be sent.
    #[error("the code has expired")]
    Expired,
    #[error("wrong code")]
    Wrong { attempts_left: u32 },
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub struct PhoneRegistrations {
    db: SqlitePool,
    codes: Codes,
}

impl PhoneRegistrations {
    pub fn new(db: SqlitePool, secret: ServerSecret) -> Self {
        Self {
            db,
            codes: Codes::new(secret),
        }
    }

    /// Records the registration and makes its code. One code per IIN per validity
    /// period: an operator cannot flood a phone.
    pub async fn start(
        &self,
        iin: &Iin,
        phone: &PhoneNumber,
        operator: &str,
        call: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<Started, RegistrationError> {
        let last: Option<OffsetDateTime> = sqlx::query_scalar(
            "SELECT created_at FROM phone_registrations WHERE iin = ? ORDER BY created_at DESC LIMIT 1",
        )
        .bind(iin.as_str())
        .fetch_optional(&self.db)
        .await?;
        if let Some(last) = last {
            let resend_at = last + Duration::seconds(OTP_RESEND_AFTER_SECONDS);
            if resend_at > now {
                return Err(RegistrationError::RateLimited {
                    retry_after: resend_at - now,
                });
            }
        }
        let id = crate::secret::random_id();
        let (code, code_mac) = self.codes.issue(&id);
        let expires_at = now + Duration::seconds(OTP_TTL_SECONDS);
        sqlx::query(
            "INSERT INTO phone_registrations (id, iin, phone, code_mac, expires_at, operator, call, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(iin.as_str())
        .bind(phone.as_str())
        .bind(code_mac)
        .bind(expires_at)
        .bind(operator)
        .bind(call)
        .bind(now)
        .execute(&self.db)
        .await?;
        Ok(Started {
            id,
            code,
            expires_at,
        })
    }

    /// Checks the code the operator typed and, when it is right, registers the phone in
    /// the mobile-citizens database in the operator's name. A replay of the right code
    /// after that changes nothing.
    pub async fn confirm(
        &self,
        id: &str,
        code: &OtpCode,
        operator: &str,
        registry: &dyn MobileCitizens,
        now: OffsetDateTime,
    ) -> Result<(), RegistrationError> {
        let row = sqlx::query(
            "SELECT iin, phone, code_mac, attempts, expires_at, registered_at
             FROM phone_registrations WHERE id = ? AND operator = ?",
        )
        .bind(id)
        .bind(operator)
        .fetch_optional(&self.db)
        .await?
        .ok_or(RegistrationError::NotFound)?;
        let matches = self.codes.matches(id, code, row.get("code_mac"));
        if row
            .get::<Option<OffsetDateTime>, _>("registered_at")
            .is_some()
            && matches
        {
            return Ok(());
        }
        if row.get::<OffsetDateTime, _>("expires_at") <= now
            || one_time_codes::attempts_left(row.get("attempts")) == 0
        {
            return Err(RegistrationError::Expired);
        }
        if !matches {
            let attempts_left =
                one_time_codes::count_wrong(&self.db, CodeTable::PhoneRegistrations, id).await?;
            return Err(RegistrationError::Wrong { attempts_left });
        }
        let corrupt = |what: &str| {
            sqlx::Error::Decode(format!("invalid {what} in phone_registrations").into())
        };
        let iin = Iin::parse(row.get::<&str, _>("iin")).map_err(|_| corrupt("IIN"))?;
        let phone =
            PhoneNumber::parse(row.get::<&str, _>("phone")).map_err(|_| corrupt("phone"))?;
        // The registry first: if it fails, the row stays unconfirmed and the operator
        // may send the same code again.
        registry.register(&iin, &phone, operator).await?;
        sqlx::query(
            "UPDATE phone_registrations SET registered_at = ? WHERE id = ? AND registered_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&self.db)
        .await?;
        Ok(())
    }
}

/// Deletes the registrations never confirmed, with their phones, once they are of no
/// more use; confirmed ones stay as the audit of who registered which phone.
pub async fn purge_unconfirmed(db: &SqlitePool, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM phone_registrations WHERE registered_at IS NULL AND expires_at < ?",
    )
    .bind(now - KEEP_UNCONFIRMED)
    .execute(db)
    .await?
    .rows_affected())
}
