//! Locks on an IIN after too many failures: wrong one-time codes and failed face
//! checks share one table and one rule (a lock stands until its time).

use qoltanba_domain::Iin;
use sqlx::SqliteExecutor;
use time::OffsetDateTime;

/// Until when the IIN is locked, if it is.
pub async fn until(
    db: impl SqliteExecutor<'_>,
    iin: &Iin,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    let until: Option<OffsetDateTime> =
        sqlx::query_scalar("SELECT until FROM iin_locks WHERE iin = ?")
            .bind(iin.as_str())
            .fetch_optional(db)
            .await?;
    Ok(until.filter(|&until| until > now))
}

/// Locks the IIN until `until`, replacing an earlier lock; `reason` is for the audit.
pub async fn impose(
    db: impl SqliteExecutor<'_>,
    iin: &Iin,
    until: OffsetDateTime,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO iin_locks (iin, until, reason) VALUES (?, ?, ?)
         ON CONFLICT (iin) DO UPDATE SET until = excluded.until, reason = excluded.reason",
    )
    .bind(iin.as_str())
    .bind(until)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}
