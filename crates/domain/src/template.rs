//! Who the certificates are for: an individual, or an employee of a legal entity
//! under one of NCA RK's six templates (roles).

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;

/// Object identifiers NCA RK puts into certificates (see `shared/domain.md`).
pub mod oid {
    pub const LEGAL_ENTITY: &str = "1.2.398.3.3.4.1.2";
    pub const INDIVIDUAL: &str = "1.2.398.3.3.4.1.1";
    /// Identified remotely through Digital ID.
    pub const REMOTE_IDENTIFICATION: &str = "1.2.398.3.3.4.3.2.1";
    pub const POLICY_SIGN_LEGAL_ENTITY: &str = "1.2.398.3.3.2.1";
    pub const POLICY_AUTH_LEGAL_ENTITY: &str = "1.2.398.3.3.2.2";
    pub const POLICY_SIGN_INDIVIDUAL: &str = "1.2.398.3.3.2.3";
    pub const POLICY_AUTH_INDIVIDUAL: &str = "1.2.398.3.3.2.4";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    LegalEntity,
    Individual,
}

impl ApplicantKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::LegalEntity => "legal_entity",
            Self::Individual => "individual",
        }
    }
}

/// The legal-entity templates, in the guide's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    FirstHead,
    Signer,
    FinanceSigner,
    Hr,
    Employee,
    TreasuryClient,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown certificate template")]
pub struct UnknownTemplate;

impl ErrorCode for UnknownTemplate {
    fn code(&self) -> &'static str {
        "template.unknown"
    }
}

impl Template {
    pub const ALL: [Template; 6] = [
        Self::FirstHead,
        Self::Signer,
        Self::FinanceSigner,
        Self::Hr,
        Self::Employee,
        Self::TreasuryClient,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::FirstHead => "first_head",
            Self::Signer => "signer",
            Self::FinanceSigner => "finance_signer",
            Self::Hr => "hr",
            Self::Employee => "employee",
            Self::TreasuryClient => "treasury_client",
        }
    }

    /// The role OID that goes into extendedKeyUsage.
    pub fn role_oid(self) -> &'static str {
        match self {
            Self::FirstHead => "1.2.398.3.3.4.1.2.1",
            Self::Signer => "1.2.398.3.3.4.1.2.2",
            Self::FinanceSigner => "1.2.398.3.3.4.1.2.3",
            Self::Hr => "1.2.398.3.3.4.1.2.4",
            Self::Employee => "1.2.398.3.3.4.1.2.5",
            Self::TreasuryClient => "1.2.398.5.19.1.2.2.1",
        }
    }

    /// Only the first head's own application skips his confirmation.
    pub fn needs_head_confirmation(self) -> bool {
        self != Self::FirstHead
    }

    /// The head, or an employee with signing rights acting for him.
    pub fn may_confirm_for_head(self) -> bool {
        matches!(self, Self::FirstHead | Self::Signer)
    }

    /// Treasury-Client asks for the role in the treasury system and the institution's code.
    pub fn needs_treasury_fields(self) -> bool {
        self == Self::TreasuryClient
    }
}

impl core::str::FromStr for Template {
    type Err = UnknownTemplate;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.code() == s)
            .ok_or(UnknownTemplate)
    }
}

/// What an application is for. A template exists only for a legal entity, so an
/// "individual with a first-head template" cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CertificateProfile {
    LegalEntity { template: Template },
    Individual,
}

impl CertificateProfile {
    pub fn kind(self) -> ApplicantKind {
        match self {
            Self::LegalEntity { .. } => ApplicantKind::LegalEntity,
            Self::Individual => ApplicantKind::Individual,
        }
    }

    pub fn template(self) -> Option<Template> {
        match self {
            Self::LegalEntity { template } => Some(template),
            Self::Individual => None,
        }
    }

    pub fn needs_head_confirmation(self) -> bool {
        self.template()
            .is_some_and(Template::needs_head_confirmation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_is_refused() {
        for t in Template::ALL {
            assert_eq!(t.code().parse::<Template>(), Ok(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.code())
            );
        }
        assert_eq!("boss".parse::<Template>(), Err(UnknownTemplate));
    }

    #[test]
    fn role_oids_are_distinct_and_only_the_head_skips_confirmation() {
        let mut oids: Vec<_> = Template::ALL.iter().map(|t| t.role_oid()).collect();
        oids.dedup();
        assert_eq!(oids.len(), 6);
        assert!(!Template::FirstHead.needs_head_confirmation());
        assert!(Template::ALL[1..]
            .iter()
            .all(|t| t.needs_head_confirmation()));
        assert!(!CertificateProfile::Individual.needs_head_confirmation());
    }

    #[test]
    fn profile_json_shape() {
        let p = CertificateProfile::LegalEntity {
            template: Template::Hr,
        };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"kind":"legal_entity","template":"hr"}"#);
        assert_eq!(
            serde_json::from_str::<CertificateProfile>(&json).unwrap(),
            p
        );
        assert_eq!(
            serde_json::from_str::<CertificateProfile>(r#"{"kind":"individual"}"#).unwrap(),
            CertificateProfile::Individual
        );
        assert!(serde_json::from_str::<CertificateProfile>(r#"{"kind":"legal_entity"}"#).is_err());
    }
}
