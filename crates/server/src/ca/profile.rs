//! Our certificate profiles for x509-cert's builder: the stock CA/B Forum ones refuse
//! NCA's subjects, and NCA's extensions are not theirs anyway (`shared/domain.md`).

use const_oid::db::rfc5280::{ANY_POLICY, ID_AD_CA_ISSUERS, ID_AD_OCSP};
use const_oid::db::rfc5912::{ID_KP_CLIENT_AUTH, ID_KP_EMAIL_PROTECTION};
use const_oid::AssociatedOid;
use const_oid::ObjectIdentifier;
use der::asn1::{Ia5String, OctetString};
use der::Encode;
use qoltanba_domain::template::oid;
use qoltanba_domain::{CertificateProfile, KeyPurpose};
use spki::SubjectPublicKeyInfoRef;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints,
    CertificatePolicies, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::Name;

type Result<T> = x509_cert::builder::Result<T>;

fn extension<T: AssociatedOid + Encode>(value: &T, critical: bool) -> Result<Extension> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

fn key_ids(
    spk: SubjectPublicKeyInfoRef<'_>,
    issuer: SubjectPublicKeyInfoRef<'_>,
) -> Result<[Extension; 2]> {
    let ski = SubjectKeyIdentifier::try_from(spk)?;
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(SubjectKeyIdentifier::try_from(issuer)?.0),
        ..Default::default()
    };
    Ok([extension(&ski, false)?, extension(&aki, false)?])
}

fn policies(oids: &[ObjectIdentifier]) -> CertificatePolicies {
    CertificatePolicies(
        oids.iter()
            .map(|&policy_identifier| PolicyInformation {
                policy_identifier,
                policy_qualifiers: None,
            })
            .collect(),
    )
}

fn uri(url: &str) -> Result<GeneralName> {
    Ok(GeneralName::UniformResourceIdentifier(Ia5String::new(url)?))
}

fn ca_extensions(path_len: Option<u8>, policy: bool) -> Result<Vec<Extension>> {
    let mut extensions = vec![
        extension(
            &BasicConstraints {
                ca: true,
                path_len_constraint: path_len,
            },
            true,
        )?,
        extension(&KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign), true)?,
    ];
    if policy {
        // anyPolicy lets the holders' policies through `openssl verify -explicit_policy`.
        extensions.push(extension(&policies(&[ANY_POLICY]), false)?);
    }
    Ok(extensions)
}

/// A certificate to build: whom it names, who signs it, and what it is.
pub struct Profile {
    pub subject: Name,
    /// `None` for the self-signed root.
    pub issuer: Option<Name>,
    pub kind: Kind,
}

pub enum Kind {
    Root,
    /// The issuing CA, under the root, issuing holders' certificates only.
    Issuing,
    Holder(Holder),
}

/// A holder's certificate, per the table of `domain.md`.
pub struct Holder {
    pub purpose: KeyPurpose,
    pub profile: CertificateProfile,
    /// Where the issuing CA's CRL, OCSP responder and certificate are published.
    pub crl_url: String,
    pub ocsp_url: String,
    pub ca_issuers_url: String,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, subject: &Name) -> Name {
        self.issuer.clone().unwrap_or_else(|| subject.clone())
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> Result<Vec<Extension>> {
        let mut extensions = match &self.kind {
            Kind::Root => {
                let mut root = ca_extensions(None, false)?;
                root.push(extension(&SubjectKeyIdentifier::try_from(spk)?, false)?);
                return Ok(root);
            }
            Kind::Issuing => ca_extensions(Some(0), true)?,
            Kind::Holder(holder) => holder.extensions()?,
        };
        extensions.extend(key_ids(spk, issuer_spk)?);
        Ok(extensions)
    }
}

fn parse_oid(oid: &str) -> ObjectIdentifier {
    ObjectIdentifier::new(oid).expect("the domain's OIDs are well formed")
}

impl Holder {
    fn key_usage(&self) -> KeyUsage {
        KeyUsage(match self.purpose {
            KeyPurpose::Authentication => KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment,
            KeyPurpose::Signing => KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
        })
    }

    /// clientAuth or emailProtection, the kind of holder, the role, and the mark of a
    /// remote identification through Digital ID.
    fn extended_key_usage(&self) -> ExtendedKeyUsage {
        let mut usages = vec![match self.purpose {
            KeyPurpose::Authentication => ID_KP_CLIENT_AUTH,
            KeyPurpose::Signing => ID_KP_EMAIL_PROTECTION,
        }];
        match self.profile {
            CertificateProfile::LegalEntity { template } => {
                usages.push(parse_oid(oid::LEGAL_ENTITY));
                usages.push(parse_oid(template.role_oid()));
            }
            CertificateProfile::Individual => usages.push(parse_oid(oid::INDIVIDUAL)),
        }
        usages.push(parse_oid(oid::REMOTE_IDENTIFICATION));
        ExtendedKeyUsage(usages)
    }

    /// NCA's policy for the key, and the role again as a policy, so that relying
    /// parties can demand a role with standard policy checks
    /// (`openssl verify -policy <role> -explicit_policy`).
    fn policies(&self) -> CertificatePolicies {
        let mut oids = vec![parse_oid(self.purpose.policy_oid(self.profile.kind()))];
        if let Some(template) = self.profile.template() {
            oids.push(parse_oid(template.role_oid()));
        }
        policies(&oids)
    }

    fn extensions(&self) -> Result<Vec<Extension>> {
        let crl = CrlDistributionPoints(vec![DistributionPoint {
            distribution_point: Some(DistributionPointName::FullName(vec![uri(&self.crl_url)?])),
            reasons: None,
            crl_issuer: None,
        }]);
        let aia = AuthorityInfoAccessSyntax(vec![
            AccessDescription {
                access_method: ID_AD_OCSP,
                access_location: uri(&self.ocsp_url)?,
            },
            AccessDescription {
                access_method: ID_AD_CA_ISSUERS,
                access_location: uri(&self.ca_issuers_url)?,
            },
        ]);
        Ok(vec![
            extension(
                &BasicConstraints {
                    ca: false,
                    path_len_constraint: None,
                },
                true,
            )?,
            extension(&self.key_usage(), true)?,
            extension(&self.extended_key_usage(), false)?,
            extension(&self.policies(), false)?,
            extension(&crl, false)?,
            extension(&aia, false)?,
        ])
    }
}
