//! One-time codes as the server keeps them: random, sent once by SMS, stored only as an
//! HMAC under the server's secret and bound to their record's id, with the wrong
//! attempts counted on the record. The applicant's phone checks and the operators'
//! phone registrations share these rules.

use hmac::{Hmac, Mac};
use qoltanba_domain::otp::OTP_MAX_ATTEMPTS;
use qoltanba_domain::OtpCode;
use rand::RngCore;
use sha2::Sha256;
use sqlx::SqlitePool;

use crate::secret::ServerSecret;

/// The tables whose records hold a code's MAC and an `attempts` count.
#[derive(Debug, Clone, Copy)]
pub enum CodeTable {
    PhoneChecks,
    PhoneRegistrations,
}

impl CodeTable {
    fn name(self) -> &'static str {
        match self {
            Self::PhoneChecks => "phone_checks",
            Self::PhoneRegistrations => "phone_registrations",
        }
    }
}

#[derive(Clone)]
pub struct Codes {
    secret: ServerSecret,
}

impl Codes {
    pub fn new(secret: ServerSecret) -> Self {
        Self { secret }
    }

    /// A fresh code for the record `id`, and the MAC to store instead of it.
    pub fn issue(&self, id: &str) -> (OtpCode, Vec<u8>) {
        let code = OtpCode::from_number(rand::rngs::OsRng.next_u32());
        let mut mac = self.keyed(id);
        mac.update(code.as_str().as_bytes());
        (code, mac.finalize().into_bytes().to_vec())
    }

    /// Whether `code` is the one issued for the record `id`, in constant time.
    pub fn matches(&self, id: &str, code: &OtpCode, stored_mac: &[u8]) -> bool {
        let mut mac = self.keyed(id);
        mac.update(code.as_str().as_bytes());
        mac.verify_slice(stored_mac).is_ok()
    }

    /// A MAC bound to the record's id, so a code's MAC is useless for any other record.
    fn keyed(&self, id: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.secret.as_bytes()).expect("any key length");
        mac.update(id.as_bytes());
        mac.update(b"\0");
        mac
    }
}

/// Counts a wrong code against the record; answers how many attempts are left.
pub async fn count_wrong(db: &SqlitePool, table: CodeTable, id: &str) -> Result<u32, sqlx::Error> {
    let attempts: i64 = sqlx::query_scalar(&format!(
        "UPDATE {} SET attempts = attempts + 1 WHERE id = ? RETURNING attempts",
        table.name()
    ))
    .bind(id)
    .fetch_one(db)
    .await?;
    Ok(attempts_left(attempts))
}

/// The attempts a record with `attempts` wrong codes has left.
pub fn attempts_left(attempts: i64) -> u32 {
    OTP_MAX_ATTEMPTS.saturating_sub(u32::try_from(attempts).unwrap_or(u32::MAX))
}
