//! IIN (individual identification number) and BIN (business identification number):
//! 12 digits each, the 12th a check digit; the others carry a date and a kind.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::checksum::check_digit;
use crate::error::ErrorCode;
use crate::newtype::string_newtype;

/// What goes wrong with any 12-digit identifier before its meaning is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DigitsError {
    NotDigits,
    Length,
    CheckDigit,
    NeverIssued,
}

fn twelve_digits(s: &str) -> Result<[u8; 12], DigitsError> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DigitsError::NotDigits);
    }
    let digits: [u8; 12] = s
        .bytes()
        .map(|b| b - b'0')
        .collect::<Vec<_>>()
        .try_into()
        .map_err(|_| DigitsError::Length)?;
    let body: [u8; 11] = digits[..11].try_into().expect("11 of 12 digits");
    match check_digit(&body) {
        None => Err(DigitsError::NeverIssued),
        Some(c) if c != digits[11] => Err(DigitsError::CheckDigit),
        Some(_) => Ok(digits),
    }
}

fn two_digits(d: &[u8]) -> u8 {
    d[0] * 10 + d[1]
}

// ---------------------------------------------------------------- IIN

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("an IIN has digits only")]
    NotDigits,
    #[error("an IIN has 12 digits")]
    Length,
    #[error("the IIN's check digit does not match")]
    CheckDigit,
    #[error("no IIN with these digits is ever issued")]
    NeverIssued,
    #[error("digit 7 of an IIN (century and sex) is 1 to 6")]
    CenturyDigit,
    #[error("the IIN's date of birth does not exist")]
    BirthDate,
}

impl ErrorCode for IinError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "iin.not_digits",
            Self::Length => "iin.length",
            Self::CheckDigit => "iin.check_digit",
            Self::NeverIssued => "iin.never_issued",
            Self::CenturyDigit => "iin.century",
            Self::BirthDate => "iin.birth_date",
        }
    }
}

impl From<DigitsError> for IinError {
    fn from(e: DigitsError) -> Self {
        match e {
            DigitsError::NotDigits => Self::NotDigits,
            DigitsError::Length => Self::Length,
            DigitsError::CheckDigit => Self::CheckDigit,
            DigitsError::NeverIssued => Self::NeverIssued,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Iin {
    pub fn parse(s: &str) -> Result<Self, IinError> {
        let d = twelve_digits(s)?;
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return Err(IinError::CenturyDigit),
        };
        birth_date(century, &d).ok_or(IinError::BirthDate)?;
        Ok(Self(s.to_owned()))
    }

    pub fn birth_date(&self) -> Date {
        let d = self.digits();
        let century = 1800 + 100 * i32::from((d[6] - 1) / 2);
        birth_date(century, &d).expect("checked when parsed")
    }

    pub fn sex(&self) -> Sex {
        if self.digits()[6] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    fn digits(&self) -> Vec<u8> {
        self.0.bytes().map(|b| b - b'0').collect()
    }
}

fn birth_date(century: i32, d: &[u8]) -> Option<Date> {
    let month = Month::try_from(two_digits(&d[2..4])).ok()?;
    Date::from_calendar_date(
        century + i32::from(two_digits(&d[0..2])),
        month,
        two_digits(&d[4..6]),
    )
    .ok()
}

string_newtype!(Iin, IinError);

// ---------------------------------------------------------------- BIN

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bin(String);

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Resident,
    NonResident,
    /// A sole trader in joint entrepreneurship.
    JointSoleTrader,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityUnit {
    HeadOffice,
    Branch,
    Representative,
    PeasantFarm,
}

impl Bin {
    pub fn parse(s: &str) -> Result<Self, BinError> {
        let d = twelve_digits(s)?;
        Month::try_from(two_digits(&d[2..4])).map_err(|_| BinError::RegistrationMonth)?;
        entity_kind(d[4]).ok_or(BinError::EntityKind)?;
        entity_unit(d[5]).ok_or(BinError::Unit)?;
        Ok(Self(s.to_owned()))
    }

    /// Year and month of registration. BINs exist since 2007, so the two-digit
    /// year is read as 20YY.
    pub fn registered(&self) -> (i32, Month) {
        let d = self.0.as_bytes();
        let year = 2000 + i32::from((d[0] - b'0') * 10 + (d[1] - b'0'));
        let month =
            Month::try_from((d[2] - b'0') * 10 + (d[3] - b'0')).expect("checked when parsed");
        (year, month)
    }

    pub fn entity_kind(&self) -> EntityKind {
        entity_kind(self.0.as_bytes()[4] - b'0').expect("checked when parsed")
    }

    pub fn unit(&self) -> EntityUnit {
        entity_unit(self.0.as_bytes()[5] - b'0').expect("checked when parsed")
    }
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
    use time::macros::date;

    #[test]
    fn valid_iins_from_the_domain_notes() {
        let iin = Iin::parse("850115301238").unwrap();
        assert_eq!(iin.birth_date(), date!(1985 - 01 - 15));
        assert_eq!(iin.sex(), Sex::Male);
        let second_pass = Iin::parse("920724405673").unwrap();
        assert_eq!(second_pass.birth_date(), date!(1992 - 07 - 24));
        assert_eq!(second_pass.sex(), Sex::Female);
    }

    #[test]
    fn each_iin_error_is_reached() {
        assert_eq!(Iin::parse("85011530123a"), Err(IinError::NotDigits));
        assert_eq!(
            Iin::parse("８５０１１５３０１２３８"),
            Err(IinError::NotDigits)
        );
        assert_eq!(Iin::parse("85011530123"), Err(IinError::Length));
        assert_eq!(Iin::parse(""), Err(IinError::Length));
        assert_eq!(Iin::parse("850115301239"), Err(IinError::CheckDigit));
        // The domain notes' example: its check digit is right, its month is 13.
        assert_eq!(Iin::parse("851315301238"), Err(IinError::BirthDate));
        assert_eq!(IinError::BirthDate.code(), "iin.birth_date");
        // Month 13 with a correct check digit.
        assert_eq!(Iin::parse(&valid_with("8513153")), Err(IinError::BirthDate));
        assert_eq!(
            Iin::parse(&valid_with("85023130")),
            Err(IinError::BirthDate)
        );
        assert_eq!(
            Iin::parse(&valid_with("85011570")),
            Err(IinError::CenturyDigit)
        );
        assert_eq!(
            Iin::parse(&valid_with("85011500")),
            Err(IinError::CenturyDigit)
        );
        assert_eq!(
            never_issued_iin().map(|s| Iin::parse(&s)),
            Some(Err(IinError::NeverIssued))
        );
    }

    #[test]
    fn centuries_and_leap_days() {
        assert_eq!(
            Iin::parse(&valid_with("00022950")).unwrap().birth_date(),
            date!(2000 - 02 - 29)
        );
        assert_eq!(
            Iin::parse(&valid_with("00022940")),
            Err(IinError::BirthDate)
        );
        assert_eq!(
            Iin::parse(&valid_with("99123120")).unwrap().birth_date(),
            date!(1899 - 12 - 31)
        );
    }

    #[test]
    fn valid_bins_from_the_domain_notes() {
        let bin = Bin::parse("150340001236").unwrap();
        assert_eq!(bin.registered(), (2015, Month::March));
        assert_eq!(bin.entity_kind(), EntityKind::Resident);
        assert_eq!(bin.unit(), EntityUnit::HeadOffice);
        let branch = Bin::parse("181141007896").unwrap();
        assert_eq!(branch.registered(), (2018, Month::November));
        assert_eq!(branch.unit(), EntityUnit::Branch);
    }

    #[test]
    fn each_bin_error_is_reached() {
        assert_eq!(Bin::parse("15034000123 "), Err(BinError::NotDigits));
        assert_eq!(Bin::parse("1503400012366"), Err(BinError::Length));
        assert_eq!(Bin::parse("150340001237"), Err(BinError::CheckDigit));
        assert_eq!(
            Bin::parse(&valid_with("15134000")),
            Err(BinError::RegistrationMonth)
        );
        assert_eq!(
            Bin::parse(&valid_with("15000000")),
            Err(BinError::RegistrationMonth)
        );
        assert_eq!(
            Bin::parse(&valid_with("15037000")),
            Err(BinError::EntityKind)
        );
        assert_eq!(Bin::parse(&valid_with("15034400")), Err(BinError::Unit));
        assert_eq!(
            Bin::parse(&valid_with("15036300")).unwrap().entity_kind(),
            EntityKind::JointSoleTrader
        );
        assert_eq!(BinError::Unit.code(), "bin.unit");
    }

    #[test]
    fn serde_parses_on_the_way_in() {
        let iin: Iin = serde_json_from("\"850115301238\"").unwrap();
        assert_eq!(iin.as_str(), "850115301238");
        assert!(serde_json_from::<Iin>("\"850115301239\"").is_err());
        assert!(serde_json_from::<Bin>("\"150340001236\"").is_ok());
    }

    fn serde_json_from<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(s)
    }

    /// `prefix` followed by the first serial digits that make an issuable body,
    /// and the right check digit.
    pub(crate) fn valid_with(prefix: &str) -> String {
        (0..10_000)
            .map(|n| format!("{prefix}{n:0width$}", width = 11 - prefix.len()))
            .find_map(|body| {
                let digits: [u8; 11] = body
                    .bytes()
                    .map(|b| b - b'0')
                    .collect::<Vec<_>>()
                    .try_into()
                    .unwrap();
                check_digit(&digits).map(|c| format!("{body}{c}"))
            })
            .expect("some serial is issuable")
    }

    fn never_issued_iin() -> Option<String> {
        // Search the serial digits of a valid prefix for a body where both passes give 10.
        (0..10_000)
            .map(|n| format!("8501153{n:04}"))
            .find(|body| {
                let digits: [u8; 11] = body
                    .bytes()
                    .map(|b| b - b'0')
                    .collect::<Vec<_>>()
                    .try_into()
                    .unwrap();
                check_digit(&digits).is_none()
            })
            .map(|body| format!("{body}0"))
    }
}
