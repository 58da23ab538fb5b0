//! Sending SMS. The only gateway so far is the outbox: every message is stored, and in
//! demo mode `GET /api/dev/sms` shows it, since no real phone receives anything.

use async_trait::async_trait;
use qoltanba_domain::api::SmsMessage;
use qoltanba_domain::PhoneNumber;
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;

/// NCA RK's codes come from the short number 1414.
pub const SENDER: &str = "1414";

#[derive(Debug, thiserror::Error)]
#[error("the SMS could not be sent: {0}")]
pub struct SmsError(#[from] sqlx::Error);

#[async_trait]
pub trait SmsGateway: Send + Sync {
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError>;
}

/// Tells a person by SMS on his registered phone. A notice is a courtesy: what it says
/// is on the page anyway, so a failure is logged, never returned.
pub async fn notify(
    state: &crate::state::AppState,
    iin: &qoltanba_domain::Iin,
    text: &str,
    about: &str,
) {
    let sent = match state.mobile_citizens.phone_of(iin).await {
        Ok(Some(phone)) => state
            .sms
            .send(&phone, text)
            .await
            .map_err(|e| e.to_string()),
        Ok(None) => Err("no phone is registered for the IIN".to_owned()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(error) = sent {
        tracing::error!(about, error, "a notice SMS was not sent");
    }
}

pub struct OutboxGateway(pub SqlitePool);

impl OutboxGateway {
    /// Newest first, optionally for one recipient.
    pub async fn list(
        pool: &SqlitePool,
        to: Option<&PhoneNumber>,
    ) -> Result<Vec<SmsMessage>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT recipient, text, sent_at FROM sms_outbox
             WHERE ?1 IS NULL OR recipient = ?1 ORDER BY id DESC LIMIT 200",
        )
        .bind(to.map(PhoneNumber::as_str))
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SmsMessage {
                to: r.get("recipient"),
                text: r.get("text"),
                sent_at: r.get("sent_at"),
            })
            .collect())
    }
}

#[async_trait]
impl SmsGateway for OutboxGateway {
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        sqlx::query(
            "INSERT INTO sms_outbox (sender, recipient, text, sent_at) VALUES (?, ?, ?, ?)",
        )
        .bind(SENDER)
        .bind(to.as_str())
        .bind(text)
        .bind(OffsetDateTime::now_utc())
        .execute(&self.0)
        .await?;
        Ok(())
    }
}
