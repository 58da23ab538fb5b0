//! The mobile-citizens check (registration authority, step 1 of the guide): a 5-digit
//! code sent to the phone registered for the IIN, with expiry, attempts, locks and
//! rate limits. The rules' numbers are in `qoltanba_domain::otp` and here.

use qoltanba_domain::otp::{OTP_LOCK_MINUTES, OTP_RESEND_AFTER_SECONDS, OTP_TTL_SECONDS};
use qoltanba_domain::{Bin, CertificateProfile, Iin, OtpCode, PhoneNumber};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use time::{Duration, OffsetDateTime};

use crate::face_check::SESSION_MINUTES;
use crate::one_time_codes::{self, CodeTable, Codes};
use crate::secret::ServerSecret;

/// Codes sent to one IIN within an hour: enough for a few honest retries of both the
/// application's code and the Digital ID sign-in, too few to spam a person's phone.
pub const SENDS_PER_IIN_PER_HOUR: i64 = 8;
/// Codes requested from one client address within an hour: a kiosk or an office
/// behind one address serves several people.
pub const SENDS_PER_ADDRESS_PER_HOUR: i64 = 20;

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("too many wrong codes: the IIN is locked")]
    Locked { until: OffsetDateTime },
    #[error("too many codes requested")]
    RateLimited { retry_after: Duration },
    #[error("no such check")]
    NotFound,
    #[error("the code has expired")]
    Expired,
    #[error("wrong code")]
    Wrong { attempts_left: u32 },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A check of this purpose verified within the last `SESSION_MINUTES`: what a later
/// step may rely on (the application's check, or the Digital ID session).
pub async fn verified(
    db: &SqlitePool,
    id: &str,
    purpose: Purpose,
    now: OffsetDateTime,
) -> Result<Option<Verified>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT purpose, iin, bin, profile FROM phone_checks
         WHERE id = ? AND purpose = ? AND verified_at > ?",
    )
    .bind(id)
    .bind(purpose.code())
    .bind(now - Duration::minutes(SESSION_MINUTES))
    .fetch_optional(db)
    .await?;
    row.as_ref().map(vouched).transpose()
}

/// What a check's row says about the applicant.
fn vouched(row: &SqliteRow) -> Result<Verified, sqlx::Error> {
    let corrupt =
        |what: &str| sqlx::Error::Decode(format!("invalid {what} in phone_checks").into());
    let purpose = match row.get::<&str, _>("purpose") {
        "digital_id" => Purpose::DigitalId,
        _ => Purpose::Application,
    };
    let iin = Iin::parse(row.get::<&str, _>("iin")).map_err(|_| corrupt("IIN"))?;
    let bin = row
        .get::<Option<&str>, _>("bin")
        .map(Bin::parse)
        .transpose()
        .map_err(|_| corrupt("BIN"))?;
    let profile =
        serde_json::from_str(row.get::<&str, _>("profile")).map_err(|_| corrupt("profile"))?;
    Ok(Verified {
        purpose,
        iin,
        bin,
        profile,
    })
}

/// What a phone check is for: the application's first step, or the Digital ID sign-in
/// (whose verified check is the Digital ID session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Application,
    DigitalId,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::DigitalId => "digital_id",
        }
    }
}

/// A check that was started: the client's handle and the code to send.
pub struct Started {
    pub id: String,
    pub code: OtpCode,
    pub expires_at: OffsetDateTime,
}

/// What a verified check vouches for.
pub struct Verified {
    pub purpose: Purpose,
    pub iin: Iin,
    pub bin: Option<Bin>,
    pub profile: CertificateProfile,
}

pub struct PhoneChecks {
    db: SqlitePool,
    codes: Codes,
}

impl PhoneChecks {
    pub fn new(db: SqlitePool, secret: ServerSecret) -> Self {
        Self {
            db,
            codes: Codes::new(secret),
        }
    }

    /// Until when the IIN is locked, if it is.
    pub async fn lock_of(
        &self,
        iin: &Iin,
        now: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, sqlx::Error> {
        crate::iin_locks::until(&self.db, iin, now).await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn start(
        &self,
        purpose: Purpose,
        iin: &Iin,
        bin: Option<&Bin>,
        profile: CertificateProfile,
        phone: &PhoneNumber,
        client: &str,
        now: OffsetDateTime,
    ) -> Result<Started, CheckError> {
        if let Some(until) = self.lock_of(iin, now).await? {
            return Err(CheckError::Locked { until });
        }
        self.check_rate(purpose, iin, client, now).await?;
        let id = crate::secret::random_id();
        let (code, code_mac) = self.codes.issue(&id);
        let expires_at = now + Duration::seconds(OTP_TTL_SECONDS);
        sqlx::query(
            "INSERT INTO phone_checks (id, purpose, iin, bin, profile, phone, code_mac, expires_at, created_at, client_ip)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(purpose.code())
        .bind(iin.as_str())
        .bind(bin.map(Bin::as_str))
        .bind(serde_json::to_string(&profile).expect("a profile serialises"))
        .bind(phone.as_str())
        .bind(code_mac)
        .bind(expires_at)
        .bind(now)
        .bind(client)
        .execute(&self.db)
        .await?;
        Ok(Started {
            id,
            code,
            expires_at,
        })
    }

    /// One code per validity period for each purpose (the Digital ID sign-in follows
    /// the application's code at once), and hourly caps per IIN and per client address.
    async fn check_rate(
        &self,
        purpose: Purpose,
        iin: &Iin,
        client: &str,
        now: OffsetDateTime,
    ) -> Result<(), CheckError> {
        let hour_ago = now - Duration::hours(1);
        let by_iin: Vec<(OffsetDateTime, String)> = sqlx::query_as(
            "SELECT created_at, purpose FROM phone_checks WHERE iin = ? AND created_at > ? ORDER BY created_at",
        )
        .bind(iin.as_str())
        .bind(hour_ago)
        .fetch_all(&self.db)
        .await?;
        let last = by_iin
            .iter()
            .rev()
            .find(|(_, p)| p == purpose.code())
            .map(|(at, _)| *at);
        if let Some(last) = last {
            let resend_at = last + Duration::seconds(OTP_RESEND_AFTER_SECONDS);
            if resend_at > now {
                return Err(CheckError::RateLimited {
                    retry_after: resend_at - now,
                });
            }
        }
        if by_iin.len() as i64 >= SENDS_PER_IIN_PER_HOUR {
            return Err(CheckError::RateLimited {
                retry_after: by_iin[0].0 + Duration::hours(1) - now,
            });
        }
        let by_client: Vec<OffsetDateTime> = sqlx::query_scalar(
            "SELECT created_at FROM phone_checks WHERE client_ip = ? AND created_at > ? ORDER BY created_at",
        )
        .bind(client)
        .bind(hour_ago)
        .fetch_all(&self.db)
        .await?;
        if by_client.len() as i64 >= SENDS_PER_ADDRESS_PER_HOUR {
            return Err(CheckError::RateLimited {
                retry_after: by_client[0] + Duration::hours(1) - now,
            });
        }
        Ok(())
    }

    /// Checks a code. A wrong code counts, and the last allowed one locks the IIN.
    pub async fn verify(
        &self,
        id: &str,
        code: &OtpCode,
        now: OffsetDateTime,
    ) -> Result<Verified, CheckError> {
        let row = sqlx::query(
            "SELECT purpose, iin, bin, profile, code_mac, expires_at FROM phone_checks WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.db)
        .await?
        .ok_or(CheckError::NotFound)?;
        let verified = vouched(&row)?;
        if let Some(until) = self.lock_of(&verified.iin, now).await? {
            return Err(CheckError::Locked { until });
        }
        if row.get::<OffsetDateTime, _>("expires_at") <= now {
            return Err(CheckError::Expired);
        }
        if self.codes.matches(id, code, row.get("code_mac")) {
            // A replay of the right code within its validity changes nothing.
            sqlx::query(
                "UPDATE phone_checks SET verified_at = COALESCE(verified_at, ?) WHERE id = ?",
            )
            .bind(now)
            .bind(id)
            .execute(&self.db)
            .await?;
            return Ok(verified);
        }
        let attempts_left =
            one_time_codes::count_wrong(&self.db, CodeTable::PhoneChecks, id).await?;
        if attempts_left > 0 {
            return Err(CheckError::Wrong { attempts_left });
        }
        let until = now + Duration::minutes(OTP_LOCK_MINUTES);
        crate::iin_locks::impose(&self.db, &verified.iin, until, "otp").await?;
        Err(CheckError::Locked { until })
    }
}
