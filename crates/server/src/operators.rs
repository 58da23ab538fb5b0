//! Operators of the registration authority: accounts with Argon2id passwords, and
//! sign-in sessions held by a random token in an HttpOnly cookie. The database keeps
//! only the token's SHA-256, so a copy of it signs nobody in.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use qoltanba_domain::api::OperatorProfile;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqlitePool};
use time::{Duration, OffsetDateTime};

use crate::argon;
use crate::error::ApiError;
use crate::secret::random_hex;
use crate::session_cookie::SessionCookie;
use crate::state::AppState;

/// A working shift: the operator signs in again the next day.
pub const SESSION_HOURS: i64 = 8;

/// The cookie that carries the session's token.
pub const COOKIE: SessionCookie = SessionCookie {
    name: "qoltanba_operator",
    path: "/api/v1/operator",
    max_age_seconds: SESSION_HOURS * 3600,
};

/// Verified instead of a real hash when the login is unknown, so that an unknown login
/// and a wrong password take the same time. Its parameters are Argon2's defaults, the
/// ones real hashes get (a test keeps them equal).
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$e8TSwiL8ChdT5LEtQ2IRkYvAQbCT+Bh2ReFr0GVzyOg";

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    /// The same for an unknown login and a wrong password: no way to learn who exists.
    #[error("wrong login or password")]
    WrongCredentials,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The operator behind a request: as an extractor, it answers 401 without a valid session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub login: String,
    pub name: String,
}

impl From<Operator> for OperatorProfile {
    fn from(operator: Operator) -> Self {
        Self {
            login: operator.login,
            name: operator.name,
        }
    }
}

/// A new session: the token goes to the cookie, never to the database.
pub struct SignedIn {
    pub token: String,
    pub operator: Operator,
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub async fn sign_in(
    db: &SqlitePool,
    login: &str,
    password: &str,
    now: OffsetDateTime,
) -> Result<SignedIn, OperatorError> {
    let login = login.trim();
    let account = sqlx::query("SELECT name, password_hash FROM operators WHERE login = ?")
        .bind(login)
        .fetch_optional(db)
        .await?;
    let (name, hash) = match account {
        Some(row) => (Some(row.get::<String, _>("name")), row.get("password_hash")),
        None => (None, DUMMY_HASH.to_owned()),
    };
    // Argon2 is made to be slow: off the async threads.
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || argon::matches(&password, &hash))
        .await
        .expect("verifying a password does not panic");
    let (Some(name), true) = (name, matches) else {
        return Err(OperatorError::WrongCredentials);
    };
    let token = random_hex(32);
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM operator_sessions WHERE expires_at <= ?")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO operator_sessions (token_hash, login, expires_at) VALUES (?, ?, ?)")
        .bind(token_hash(&token))
        .bind(login)
        .bind(now + Duration::hours(SESSION_HOURS))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(SignedIn {
        token,
        operator: Operator {
            login: login.to_owned(),
            name,
        },
    })
}

/// The operator whose unexpired session this token is.
pub async fn by_token(
    db: &SqlitePool,
    token: &str,
    now: OffsetDateTime,
) -> Result<Option<Operator>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.login, o.name FROM operator_sessions s JOIN operators o ON o.login = s.login
         WHERE s.token_hash = ? AND s.expires_at > ?",
    )
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| Operator {
        login: row.get("login"),
        name: row.get("name"),
    }))
}

pub async fn sign_out(db: &SqlitePool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM operator_sessions WHERE token_hash = ?")
        .bind(token_hash(token))
        .execute(db)
        .await?;
    Ok(())
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = COOKIE
            .token_of(&parts.headers)
            .ok_or(ApiError::OperatorSession)?;
        by_token(&state.db, &token, OffsetDateTime::now_utc())
            .await?
            .ok_or(ApiError::OperatorSession)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let real = argon::hash("x");
        let params = |phc: &str| {
            let hash = argon2::password_hash::PasswordHash::new(phc).unwrap();
            (
                hash.algorithm.to_string(),
                hash.version,
                hash.params.to_string(),
            )
        };
        assert_eq!(params(DUMMY_HASH), params(&real));
        assert!(!argon::matches("", DUMMY_HASH));
    }
}
