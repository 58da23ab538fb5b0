//! Whom a certificate names, and the Subject DN of `domain.md` built from it. The
//! browser puts this DN into its requests; the server builds it again from the
//! registries and accepts a request only when the two are equal.

use const_oid::db::{rfc3280, rfc4519};
use const_oid::ObjectIdentifier;
use der::asn1::{Any, Ia5StringRef, PrintableStringRef, Utf8StringRef};
use der::{Decode, Encode};
use qoltanba_domain::{Bin, Email, Iin};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub bin: Bin,
}

/// The certificates' holder, as the registries know him.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub iin: Iin,
    /// For an employee of a legal entity.
    pub organisation: Option<Organisation>,
    pub email: Option<Email>,
}

/// How an attribute's value is encoded: PrintableString where X.520 asks for it,
/// IA5String for the e-mail, UTF-8 for names (Cyrillic and Kazakh letters).
enum Text {
    Utf8,
    Printable,
    Ia5,
}

impl Holder {
    /// `CN=<SURNAME> <NAME>, SURNAME, GIVENNAME=<patronymic>, SERIALNUMBER=IIN…, C=KZ`,
    /// then `O`, `OU=BIN…` for a legal entity and `emailAddress` when given.
    pub fn distinguished_name(&self) -> Result<Name, der::Error> {
        let mut attributes = vec![
            (
                rfc4519::CN,
                // Upper case, as NCA writes the common name whatever the registry's case.
                format!("{} {}", self.surname, self.name).to_uppercase(),
                Text::Utf8,
            ),
            (rfc4519::SN, self.surname.clone(), Text::Utf8),
        ];
        if let Some(patronymic) = &self.patronymic {
            // NCA puts the patronymic into GIVENNAME.
            attributes.push((rfc4519::GIVEN_NAME, patronymic.clone(), Text::Utf8));
        }
        attributes.push((
            rfc4519::SERIAL_NUMBER,
            format!("IIN{}", self.iin),
            Text::Printable,
        ));
        attributes.push((rfc4519::C, "KZ".to_owned(), Text::Printable));
        if let Some(organisation) = &self.organisation {
            attributes.push((rfc4519::O, organisation.name.clone(), Text::Utf8));
            attributes.push((rfc4519::OU, format!("BIN{}", organisation.bin), Text::Utf8));
        }
        if let Some(email) = &self.email {
            attributes.push((rfc3280::EMAIL_ADDRESS, email.to_string(), Text::Ia5));
        }
        let mut sequence = RdnSequence::default();
        for (oid, value, text) in attributes {
            sequence.push(rdn(oid, &value, text)?);
        }
        // `Name` is built from DER: x509-cert keeps its raw constructor behind `hazmat`.
        Name::from_der(&sequence.to_der()?)
    }
}

fn rdn(
    oid: ObjectIdentifier,
    value: &str,
    text: Text,
) -> Result<RelativeDistinguishedName, der::Error> {
    let value = match text {
        Text::Utf8 => Any::encode_from(&Utf8StringRef::new(value)?)?,
        Text::Printable => Any::encode_from(&PrintableStringRef::new(value)?)?,
        Text::Ia5 => Any::encode_from(&Ia5StringRef::new(value)?)?,
    };
    RelativeDistinguishedName::try_from(vec![AttributeTypeAndValue { oid, value }])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn head() -> Holder {
        Holder {
            surname: "ЖАКСЫБЕКОВ".into(),
            name: "ЕРЛАН".into(),
            patronymic: Some("АСКАРОВИЧ".into()),
            iin: Iin::parse("850115301238").unwrap(),
            organisation: Some(Organisation {
                name: "ТОО \"Қолтаңба\"".into(),
                bin: Bin::parse("150340001236").unwrap(),
            }),
            email: Some(Email::parse("erlan@example.kz").unwrap()),
        }
    }

    #[test]
    fn the_dn_of_domain_md() {
        let dn = head().distinguished_name().unwrap();
        // RFC 4514 writes the sequence last to first: the DER starts with CN.
        assert_eq!(
            dn.to_string(),
            "EMAIL=erlan@example.kz,OU=BIN150340001236,O=ТОО \\\"Қолтаңба\\\",C=KZ,\
             SERIALNUMBER=IIN850115301238,GN=АСКАРОВИЧ,SN=ЖАКСЫБЕКОВ,CN=ЖАКСЫБЕКОВ ЕРЛАН"
        );
    }

    #[test]
    fn an_individual_without_patronymic_or_email() {
        let holder = Holder {
            patronymic: None,
            organisation: None,
            email: None,
            ..head()
        };
        let dn = holder.distinguished_name().unwrap();
        assert_eq!(
            dn.to_string(),
            "C=KZ,SERIALNUMBER=IIN850115301238,SN=ЖАКСЫБЕКОВ,CN=ЖАКСЫБЕКОВ ЕРЛАН"
        );
    }
}
