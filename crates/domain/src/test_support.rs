//! Helpers for the tests of several modules.

use crate::checksum::check_digit;

/// The digits of a string of ASCII digits.
fn digits(s: &str) -> Vec<u8> {
    s.bytes().map(|b| b - b'0').collect()
}

/// A string of ASCII digits from their values.
pub(crate) fn text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// `prefix`, then the first serial digits that make an issuable body, then the right
/// check digit: a 12-digit number whose checksum passes, to test the other rules.
pub(crate) fn valid_with(prefix: &str) -> String {
    let width = 11 - prefix.len();
    (0..10u64.pow(width as u32))
        .map(|n| format!("{prefix}{n:0width$}"))
        .find_map(|body| {
            let body: [u8; 11] = digits(&body).try_into().expect("11 digits");
            check_digit(&body).map(|c| text(&body) + &c.to_string())
        })
        .expect("some serial is issuable")
}
