//! The key-store (PKCS#12) password rule from the guide: Latin letters and digits,
//! both present; 6 to 32 characters; also uppercase Latin letters and `#$^+=!*()@%&_?-.`.
//! It cannot be recovered, so the UI says so before the user confirms it.

use crate::error::ErrorCode;

pub const MIN_LENGTH: usize = 6;
pub const MAX_LENGTH: usize = 32;
pub const SPECIAL_CHARACTERS: &str = "#$^+=!*()@%&_?-.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PasswordRule {
    TooShort,
    TooLong,
    ForbiddenCharacter,
    NoLetter,
    NoDigit,
}

impl PasswordRule {
    pub const ALL: [PasswordRule; 5] = [
        Self::TooShort,
        Self::TooLong,
        Self::ForbiddenCharacter,
        Self::NoLetter,
        Self::NoDigit,
    ];

    /// Whether `password` breaks this rule.
    fn broken_by(self, password: &str) -> bool {
        let length = password.chars().count();
        match self {
            Self::TooShort => length < MIN_LENGTH,
            Self::TooLong => length > MAX_LENGTH,
            Self::ForbiddenCharacter => !password
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || SPECIAL_CHARACTERS.contains(c)),
            Self::NoLetter => !password.chars().any(|c| c.is_ascii_alphabetic()),
            Self::NoDigit => !password.chars().any(|c| c.is_ascii_digit()),
        }
    }
}

impl ErrorCode for PasswordRule {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "password.too_short",
            Self::TooLong => "password.too_long",
            Self::ForbiddenCharacter => "password.forbidden_character",
            Self::NoLetter => "password.no_letter",
            Self::NoDigit => "password.no_digit",
        }
    }
}

/// Every rule a password breaks (never empty), so the UI can show them all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the password breaks {} rule(s)", .0.len())]
pub struct PasswordErrors(Vec<PasswordRule>);

impl PasswordErrors {
    /// In the order of `PasswordRule::ALL`.
    pub fn rules(&self) -> &[PasswordRule] {
        &self.0
    }
}

/// Where one code must stand for the whole (a field of an API error), the first broken
/// rule's; `rules()` has them all.
impl ErrorCode for PasswordErrors {
    fn code(&self) -> &'static str {
        self.0[0].code()
    }
}

/// For a live checklist: each rule and whether the password keeps it.
pub fn checklist(password: &str) -> [(PasswordRule, bool); 5] {
    PasswordRule::ALL.map(|rule| (rule, !rule.broken_by(password)))
}

/// A password that keeps every rule. Debug hides it; it is never serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyStorePassword(String);

impl KeyStorePassword {
    pub fn parse(password: &str) -> Result<Self, PasswordErrors> {
        let broken: Vec<_> = PasswordRule::ALL
            .into_iter()
            .filter(|rule| rule.broken_by(password))
            .collect();
        if broken.is_empty() {
            Ok(Self(password.to_owned()))
        } else {
            Err(PasswordErrors(broken))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for KeyStorePassword {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("KeyStorePassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PasswordRule::*;

    fn broken(p: &str) -> Vec<PasswordRule> {
        KeyStorePassword::parse(p)
            .err()
            .map(|e| e.rules().to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn the_guides_rule() {
        assert!(KeyStorePassword::parse("abc123").is_ok());
        assert!(KeyStorePassword::parse("Qoltanba#2026_key.").is_ok());
        assert!(KeyStorePassword::parse(&format!("a1{}", "x".repeat(30))).is_ok());
        assert_eq!(broken("ab12"), vec![TooShort]);
        assert_eq!(broken(&format!("a1{}", "x".repeat(31))), vec![TooLong]);
        assert_eq!(broken("abcdef"), vec![NoDigit]);
        assert_eq!(broken("123456"), vec![NoLetter]);
        assert_eq!(broken("пароль12"), vec![ForbiddenCharacter, NoLetter]);
        assert_eq!(broken("parol12ь"), vec![ForbiddenCharacter]);
        assert_eq!(broken("abc 123"), vec![ForbiddenCharacter]);
        assert_eq!(broken(""), vec![TooShort, NoLetter, NoDigit]);
    }

    #[test]
    fn every_rule_has_its_code() {
        let codes = PasswordRule::ALL.map(|r| r.code());
        assert_eq!(
            codes,
            [
                "password.too_short",
                "password.too_long",
                "password.forbidden_character",
                "password.no_letter",
                "password.no_digit",
            ]
        );
        let errors = KeyStorePassword::parse("пароль").unwrap_err();
        assert_eq!(errors.code(), "password.forbidden_character");
    }

    #[test]
    fn every_allowed_special_character_and_uppercase() {
        for c in SPECIAL_CHARACTERS.chars() {
            assert!(KeyStorePassword::parse(&format!("Abc12{c}")).is_ok(), "{c}");
        }
        assert!(KeyStorePassword::parse("ABCDEF1").is_ok());
        for c in [' ', '"', '\'', '/', ',', ';', '~', '`', '[', '{', '<'] {
            assert_eq!(
                broken(&format!("Abc12{c}")),
                vec![ForbiddenCharacter],
                "{c}"
            );
        }
    }

    #[test]
    fn checklist_and_redaction() {
        let list = checklist("abc");
        assert_eq!(list[0], (TooShort, false));
        assert_eq!(list[3], (NoLetter, true));
        let p = KeyStorePassword::parse("abc123").unwrap();
        assert_eq!(format!("{p:?}"), "KeyStorePassword(***)");
        assert_eq!(p.expose(), "abc123");
        assert_eq!(NoDigit.code(), "password.no_digit");
    }
}
