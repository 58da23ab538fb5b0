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

/// What an application is for: the one type applications carry. A template exists
/// only inside `LegalEntity`, so "an individual with a first-head template" cannot be
/// built, and a legal entity cannot lack one. JSON: `{"kind":"legal_entity",
/// "template":"hr"}` or `{"kind":"individual"}`.
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
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_is_refused() {
        let codes: Vec<_> = Template::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(
            codes,
            [
                "first_head",
                "signer",
                "finance_signer",
                "hr",
                "employee",
                "treasury_client"
            ]
        );
        for t in Template::ALL {
            assert_eq!(t.code().parse::<Template>(), Ok(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.code()));
            assert_eq!(serde_json::from_str::<Template>(&json).unwrap(), t);
        }
        assert_eq!("boss".parse::<Template>(), Err(UnknownTemplate));
        assert_eq!("FirstHead".parse::<Template>(), Err(UnknownTemplate));
        assert_eq!(UnknownTemplate.code(), "template.unknown");
    }

    #[test]
    fn role_oids_are_the_nca_ones_and_distinct() {
        let oids: Vec<_> = Template::ALL.iter().map(|t| t.role_oid()).collect();
        assert_eq!(
            oids,
            [
                "1.2.398.3.3.4.1.2.1",
                "1.2.398.3.3.4.1.2.2",
                "1.2.398.3.3.4.1.2.3",
                "1.2.398.3.3.4.1.2.4",
                "1.2.398.3.3.4.1.2.5",
                "1.2.398.5.19.1.2.2.1",
            ]
        );
        assert_eq!(oids.iter().collect::<BTreeSet<_>>().len(), 6);
        // Every NCA role OID but Treasury-Client's sits under the legal-entity arc.
        assert!(oids[..5].iter().all(|o| o.starts_with(oid::LEGAL_ENTITY)));
    }

    #[test]
    fn what_each_template_asks_for() {
        use Template::*;
        let rows = [
            // template, needs head confirmation, may confirm for the head, treasury fields
            (FirstHead, false, true, false),
            (Signer, true, true, false),
            (FinanceSigner, true, false, false),
            (Hr, true, false, false),
            (Employee, true, false, false),
            (TreasuryClient, true, false, true),
        ];
        for (t, head, confirm, treasury) in rows {
            assert_eq!(t.needs_head_confirmation(), head, "{t:?}");
            assert_eq!(t.may_confirm_for_head(), confirm, "{t:?}");
            assert_eq!(t.needs_treasury_fields(), treasury, "{t:?}");
        }
    }

    #[test]
    fn applicant_kinds() {
        for (kind, code) in [
            (ApplicantKind::LegalEntity, "legal_entity"),
            (ApplicantKind::Individual, "individual"),
        ] {
            assert_eq!(kind.code(), code);
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{code}\""));
            assert_eq!(
                serde_json::from_str::<ApplicantKind>(&format!("\"{code}\"")).unwrap(),
                kind
            );
        }
    }

    #[test]
    fn profiles() {
        let head = CertificateProfile::LegalEntity {
            template: Template::FirstHead,
        };
        assert_eq!(head.kind(), ApplicantKind::LegalEntity);
        assert_eq!(head.template(), Some(Template::FirstHead));
        assert!(!head.needs_head_confirmation());
        let hr = CertificateProfile::LegalEntity {
            template: Template::Hr,
        };
        assert!(hr.needs_head_confirmation());
        let individual = CertificateProfile::Individual;
        assert_eq!(individual.kind(), ApplicantKind::Individual);
        assert_eq!(individual.template(), None);
        // No organisation, so no head to confirm.
        assert!(!individual.needs_head_confirmation());
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
        // A legal entity without a template cannot be read in.
        assert!(serde_json::from_str::<CertificateProfile>(r#"{"kind":"legal_entity"}"#).is_err());
    }
}
