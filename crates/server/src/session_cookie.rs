//! Sessions that travel in an HttpOnly cookie: the operators' and the first head's
//! cabinet. The token is random and only its hash is stored (by each owner).
//!
//! `SameSite=Strict` keeps other sites' pages from sending the cookie, and the API's
//! state-changing calls take only `application/json`, which a cross-site form cannot
//! send: together they stop cross-site requests without a CSRF token. `Secure` is set
//! when the server's public address is HTTPS; the demo speaks plain HTTP on loopback,
//! where browsers would drop a secure cookie.

use axum::http::header::COOKIE;
use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy)]
pub struct SessionCookie {
    pub name: &'static str,
    /// Only the API paths that need it receive it.
    pub path: &'static str,
    pub max_age_seconds: i64,
}

impl SessionCookie {
    /// The session token from the request's cookies, if any.
    pub fn token_of(&self, headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .find_map(|cookie| match cookie.trim().split_once('=') {
                Some((name, token)) if name == self.name && !token.is_empty() => {
                    Some(token.to_owned())
                }
                _ => None,
            })
    }

    /// `Set-Cookie` for a new session.
    pub fn set(&self, token: &str, secure: bool) -> String {
        self.header(token, self.max_age_seconds, secure)
    }

    /// `Set-Cookie` that makes the browser forget the session.
    pub fn clear(&self, secure: bool) -> String {
        self.header("", 0, secure)
    }

    fn header(&self, value: &str, max_age: i64, secure: bool) -> String {
        let secure = if secure { "; Secure" } else { "" };
        format!(
            "{}={value}; HttpOnly; SameSite=Strict; Path={}; Max-Age={max_age}{secure}",
            self.name, self.path
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COOKIE_OF_TEST: SessionCookie = SessionCookie {
        name: "qoltanba_test",
        path: "/api/v1/test",
        max_age_seconds: 60,
    };

    #[test]
    fn the_token_is_found_among_other_cookies_and_set_and_cleared() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "a=1; qoltanba_test=abc; b=2".parse().unwrap());
        assert_eq!(COOKIE_OF_TEST.token_of(&headers).as_deref(), Some("abc"));
        headers.clear();
        headers.append(
            COOKIE,
            "qoltanba_test=; qoltanba_testing=x".parse().unwrap(),
        );
        assert_eq!(COOKIE_OF_TEST.token_of(&headers), None);
        assert_eq!(
            COOKIE_OF_TEST.set("abc", true),
            "qoltanba_test=abc; HttpOnly; SameSite=Strict; Path=/api/v1/test; Max-Age=60; Secure"
        );
        assert_eq!(
            COOKIE_OF_TEST.clear(false),
            "qoltanba_test=; HttpOnly; SameSite=Strict; Path=/api/v1/test; Max-Age=0"
        );
    }
}
