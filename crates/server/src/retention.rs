//! Biometrics and document photos are kept only as long as they are needed: until the
//! document is decided and a set time after (for questions about the decision), or,
//! for a Digital ID session that never submitted a document, until the session ends.
//! Phones typed for a registration that was never confirmed go the same way.

use std::time::Duration as StdDuration;

use sqlx::SqlitePool;
use time::{Duration, OffsetDateTime};

use crate::face_check::SESSION_MINUTES;

/// How often the purge runs: a photo outlives its time by at most this much.
const EVERY: StdDuration = StdDuration::from_secs(60);

/// Deletes what is no longer needed at `now`; returns how many photos went.
pub async fn purge(
    db: &SqlitePool,
    now: OffsetDateTime,
    keep_after_decision: Duration,
) -> Result<u64, sqlx::Error> {
    let abandoned = now - Duration::minutes(SESSION_MINUTES);
    let decided = now - keep_after_decision;
    let mut deleted = 0;
    for table in ["selfies", "document_photos"] {
        deleted += sqlx::query(&format!(
            "DELETE FROM {table} WHERE
                 (created_at < ?1 AND session NOT IN (SELECT session FROM documents))
              OR session IN (SELECT session FROM documents
                             WHERE decided_at IS NOT NULL AND decided_at < ?2
                               AND session NOT IN (SELECT session FROM documents WHERE status = 'moderation'))"
        ))
        .bind(abandoned)
        .bind(decided)
        .execute(db)
        .await?
        .rows_affected();
    }
    Ok(deleted)
}

/// The background task of a running server.
pub fn spawn(db: SqlitePool, keep_after_decision: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match purge(&db, OffsetDateTime::now_utc(), keep_after_decision).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(photos = n, "expired biometrics deleted"),
                Err(e) => tracing::error!(error = %e, "deleting expired biometrics failed"),
            }
            let purged =
                crate::phone_registration::purge_unconfirmed(&db, OffsetDateTime::now_utc()).await;
            if let Err(e) = purged {
                tracing::error!(error = %e, "deleting unconfirmed phone registrations failed");
            }
        }
    });
}
