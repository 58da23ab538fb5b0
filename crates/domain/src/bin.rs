//! BIN, the business identification number: YYMM of registration, a digit for the
//! kind of entity, one for the kind of unit, five serial digits and a check digit.

use serde::{Deserialize, Serialize};
use time::Month;

use crate::checksum::{twelve_digits, two_digits, DigitsError};
use crate::error::ErrorCode;
use crate::newtype::string_newtype;

/// Twelve digits whose checksum, month, entity kind and unit are right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bin(String);

/// Variants are in the order they are checked, so the first problem is the one named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BinError {
    #[error("a BIN has digits only")]
    NotDigits,
    #[error("a BIN has 12 digits")]
    Length,
    #[error("the BIN's check digit does not match")]
    CheckDigit,
    #[error("no BIN with these digits is ever issued")]
    NeverIssued,
    #[error("digits 3-4 of a BIN (month of registration) are 01 to 12")]
    RegistrationMonth,
    #[error("digit 5 of a BIN (kind of entity) is 4, 5 or 6")]
    EntityKind,
    #[error("digit 6 of a BIN (kind of unit) is 0 to 3")]
    Unit,
}

impl ErrorCode for BinError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "bin.not_digits",
            Self::Length => "bin.length",
            Self::CheckDigit => "bin.check_digit",
            Self::NeverIssued => "bin.never_issued",
            Self::RegistrationMonth => "bin.month",
            Self::EntityKind => "bin.entity_kind",
            Self::Unit => "bin.unit",
        }
    }
}

impl From<DigitsError> for BinError {
    fn from(e: DigitsError) -> Self {
        match e {
            DigitsError::NotDigits => Self::NotDigits,
            DigitsError::Length => Self::Length,
            DigitsError::CheckDigit => Self::CheckDigit,
            DigitsError::NeverIssued => Self::NeverIssued,
        }
    }
}

/// Digit 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// 4: a resident legal entity.
    Resident,
    /// 5: a non-resident.
    NonResident,
    /// 6: a sole trader in joint entrepreneurship.
    JointSoleTrader,
}

/// Digit 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityUnit {
    HeadOffice,
    Branch,
    Representative,
    PeasantFarm,
}

/// Two-digit years from here up are the 1900s. Real BINs carry the entity's original
/// registration, so they go back to the 1990s (Halyk Bank's is 940140000385:
/// January 1994), while Kazakhstan's own registrations begin around independence
/// (1991). Without a clock there is no "current year" to pivot on; this fixed pivot
/// reads every BIN right until 2090.
const FIRST_YY_OF_THE_1900S: u8 = 90;

impl Bin {
    pub fn parse(s: &str) -> Result<Self, BinError> {
        let d = twelve_digits(s)?;
        registration_month(&d).ok_or(BinError::RegistrationMonth)?;
        entity_kind(d[4]).ok_or(BinError::EntityKind)?;
        entity_unit(d[5]).ok_or(BinError::Unit)?;
        Ok(Self(s.to_owned()))
    }

    /// Year and month of registration: YY 90-99 is the 1990s, 00-89 the 2000s.
    pub fn registered(&self) -> (i32, Month) {
        let d = self.digits();
        let yy = two_digits(d[0], d[1]);
        let century = if yy >= FIRST_YY_OF_THE_1900S {
            1900
        } else {
            2000
        };
        let month = registration_month(&d).expect("checked when parsed");
        (century + i32::from(yy), month)
    }

    pub fn entity_kind(&self) -> EntityKind {
        entity_kind(self.digits()[4]).expect("checked when parsed")
    }

    pub fn unit(&self) -> EntityUnit {
        entity_unit(self.digits()[5]).expect("checked when parsed")
    }

    fn digits(&self) -> [u8; 12] {
        let bytes: &[u8; 12] = self.0.as_bytes().try_into().expect("checked when parsed");
        bytes.map(|b| b - b'0')
    }
}

fn registration_month(d: &[u8; 12]) -> Option<Month> {
    Month::try_from(two_digits(d[2], d[3])).ok()
}

fn entity_kind(digit: u8) -> Option<EntityKind> {
    match digit {
        4 => Some(EntityKind::Resident),
        5 => Some(EntityKind::NonResident),
        6 => Some(EntityKind::JointSoleTrader),
        _ => None,
    }
}

fn entity_unit(digit: u8) -> Option<EntityUnit> {
    match digit {
        0 => Some(EntityUnit::HeadOffice),
        1 => Some(EntityUnit::Branch),
        2 => Some(EntityUnit::Representative),
        3 => Some(EntityUnit::PeasantFarm),
        _ => None,
    }
}

string_newtype!(Bin, BinError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::valid_with;

    #[test]
    fn valid_bins_from_the_domain_notes() {
        let bin = Bin::parse("150340001236").unwrap();
        assert_eq!(bin.registered(), (2015, Month::March));
        assert_eq!(bin.entity_kind(), EntityKind::Resident);
        assert_eq!(bin.unit(), EntityUnit::HeadOffice);
        let branch = Bin::parse("181141007896").unwrap();
        assert_eq!(branch.registered(), (2018, Month::November));
        assert_eq!(branch.entity_kind(), EntityKind::Resident);
        assert_eq!(branch.unit(), EntityUnit::Branch);
    }

    #[test]
    fn a_real_bin_from_the_1990s() {
        let halyk = Bin::parse("940140000385").unwrap();
        assert_eq!(halyk.registered(), (1994, Month::January));
        assert_eq!(
            Bin::parse(&valid_with("8912400")).unwrap().registered(),
            (2089, Month::December)
        );
    }

    #[test]
    fn each_error_is_reached_and_has_its_code() {
        let cases = [
            ("15034000123 ", BinError::NotDigits, "bin.not_digits"),
            ("1503400012366", BinError::Length, "bin.length"),
            ("150340001237", BinError::CheckDigit, "bin.check_digit"),
            ("150340000094", BinError::NeverIssued, "bin.never_issued"),
        ];
        for (s, error, code) in cases {
            assert_eq!(Bin::parse(s), Err(error), "{s}");
            assert_eq!(error.code(), code);
        }
        let cases = [
            ("15134000", BinError::RegistrationMonth, "bin.month"),
            ("15004000", BinError::RegistrationMonth, "bin.month"),
            ("15033000", BinError::EntityKind, "bin.entity_kind"),
            ("15037000", BinError::EntityKind, "bin.entity_kind"),
            ("15034400", BinError::Unit, "bin.unit"),
        ];
        for (prefix, error, code) in cases {
            assert_eq!(Bin::parse(&valid_with(prefix)), Err(error), "{prefix}");
            assert_eq!(error.code(), code);
        }
    }

    #[test]
    fn every_kind_and_unit() {
        let kinds = [
            ('4', EntityKind::Resident),
            ('5', EntityKind::NonResident),
            ('6', EntityKind::JointSoleTrader),
        ];
        let units = [
            ('0', EntityUnit::HeadOffice),
            ('1', EntityUnit::Branch),
            ('2', EntityUnit::Representative),
            ('3', EntityUnit::PeasantFarm),
        ];
        for (k, kind) in kinds {
            for (u, unit) in units {
                let bin = Bin::parse(&valid_with(&format!("2007{k}{u}"))).unwrap();
                assert_eq!((bin.entity_kind(), bin.unit()), (kind, unit), "{bin}");
            }
        }
    }

    #[test]
    fn conversions_and_serde() {
        let bin: Bin = "150340001236".parse().unwrap();
        assert_eq!(bin.to_string(), "150340001236");
        assert_eq!(bin.as_ref(), "150340001236");
        assert_eq!(String::from(bin.clone()), "150340001236");
        assert_eq!(
            Bin::try_from("181141007896".to_owned()).unwrap().unit(),
            EntityUnit::Branch
        );
        assert_eq!(serde_json::to_string(&bin).unwrap(), "\"150340001236\"");
        assert_eq!(
            serde_json::from_str::<Bin>("\"150340001236\"").unwrap(),
            bin
        );
        assert!(serde_json::from_str::<Bin>("\"150340001237\"").is_err());
    }
}
