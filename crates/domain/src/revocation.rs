//! «Отзыв ключа ЭЦП»: why a certificate is revoked, and the one text the revoking
//! holder signs (his own key for his own certificate, or the first head's signing key
//! for an employee's), so that a signature cannot be reused for another certificate.

use serde::{Deserialize, Serialize};

/// RFC 5280's reasons a holder can give (CRLReason codes in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// The key may be known to someone else (1).
    KeyCompromise,
    /// The holder left the organisation or changed his role (3).
    AffiliationChanged,
    /// Replaced by new certificates (4).
    Superseded,
    /// No longer needed (5).
    CessationOfOperation,
}

impl RevocationReason {
    pub const ALL: [Self; 4] = [
        Self::KeyCompromise,
        Self::AffiliationChanged,
        Self::Superseded,
        Self::CessationOfOperation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::KeyCompromise => "key_compromise",
            Self::AffiliationChanged => "affiliation_changed",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessation_of_operation",
        }
    }

    /// The CRLReason value in the CRL entry.
    pub fn crl_code(self) -> u8 {
        match self {
            Self::KeyCompromise => 1,
            Self::AffiliationChanged => 3,
            Self::Superseded => 4,
            Self::CessationOfOperation => 5,
        }
    }
}

/// The signed text of a revocation: the application's two certificates go together.
pub fn canonical(serial: &str, reason: RevocationReason) -> String {
    format!(
        "qoltanba:revocation\nserial:{}\nreason:{}\n",
        serial.to_ascii_uppercase(),
        reason.code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_text() {
        let codes: Vec<_> = RevocationReason::ALL.iter().map(|r| r.crl_code()).collect();
        assert_eq!(codes, [1, 3, 4, 5]);
        assert_eq!(
            canonical("0a1b", RevocationReason::Superseded),
            "qoltanba:revocation\nserial:0A1B\nreason:superseded\n"
        );
        for reason in RevocationReason::ALL {
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.code()));
        }
    }
}
