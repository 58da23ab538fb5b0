//! IIN, the individual identification number: YYMMDD of birth, a digit for century
//! and sex, four serial digits and a check digit.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::checksum::{twelve_digits, two_digits, DigitsError};
use crate::error::ErrorCode;
use crate::newtype::string_newtype;

/// Twelve digits whose checksum, century digit and birth date are right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin(String);

/// Variants are in the order they are checked, so the first problem is the one named.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Iin {
    pub fn parse(s: &str) -> Result<Self, IinError> {
        let d = twelve_digits(s)?;
        let century = century(d[6]).ok_or(IinError::CenturyDigit)?;
        birth_date(century, &d).ok_or(IinError::BirthDate)?;
        Ok(Self(s.to_owned()))
    }

    pub fn birth_date(&self) -> Date {
        let d = self.digits();
        let century = century(d[6]).expect("checked when parsed");
        birth_date(century, &d).expect("checked when parsed")
    }

    /// Odd century digits (1, 3, 5) are men, even ones women.
    pub fn sex(&self) -> Sex {
        if self.digits()[6] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    fn digits(&self) -> [u8; 12] {
        let bytes: &[u8; 12] = self.0.as_bytes().try_into().expect("checked when parsed");
        bytes.map(|b| b - b'0')
    }
}

/// Digit 7: 1/2 the 1800s, 3/4 the 1900s, 5/6 the 2000s.
fn century(digit: u8) -> Option<i32> {
    match digit {
        1..=6 => Some(1800 + 100 * i32::from((digit - 1) / 2)),
        _ => None,
    }
}

fn birth_date(century: i32, d: &[u8; 12]) -> Option<Date> {
    let year = century + i32::from(two_digits(d[0], d[1]));
    let month = Month::try_from(two_digits(d[2], d[3])).ok()?;
    Date::from_calendar_date(year, month, two_digits(d[4], d[5])).ok()
}

string_newtype!(Iin, IinError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::valid_with;
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
    fn each_error_is_reached_and_has_its_code() {
        let cases = [
            ("85011530123a", IinError::NotDigits, "iin.not_digits"),
            (
                "８５０１１５３０１２３８",
                IinError::NotDigits,
                "iin.not_digits",
            ),
            ("85011530123", IinError::Length, "iin.length"),
            ("", IinError::Length, "iin.length"),
            ("850115301239", IinError::CheckDigit, "iin.check_digit"),
            ("850115300280", IinError::NeverIssued, "iin.never_issued"),
            // The domain notes' example: its check digit is right, its month is 13.
            ("851315301238", IinError::BirthDate, "iin.birth_date"),
        ];
        for (s, error, code) in cases {
            assert_eq!(Iin::parse(s), Err(error), "{s}");
            assert_eq!(error.code(), code);
        }
        assert_eq!(
            Iin::parse(&valid_with("85011570")),
            Err(IinError::CenturyDigit)
        );
        assert_eq!(
            Iin::parse(&valid_with("85011500")),
            Err(IinError::CenturyDigit)
        );
        assert_eq!(IinError::CenturyDigit.code(), "iin.century");
        // 31 February and day 00.
        assert_eq!(
            Iin::parse(&valid_with("85023130")),
            Err(IinError::BirthDate)
        );
        assert_eq!(
            Iin::parse(&valid_with("85010030")),
            Err(IinError::BirthDate)
        );
    }

    #[test]
    fn centuries_sexes_and_leap_days() {
        let cases = [
            ("0002295", date!(2000 - 02 - 29), Sex::Male),
            ("9912312", date!(1899 - 12 - 31), Sex::Female),
            ("0001011", date!(1800 - 01 - 01), Sex::Male),
            ("9602294", date!(1996 - 02 - 29), Sex::Female),
            ("2412316", date!(2024 - 12 - 31), Sex::Female),
        ];
        for (prefix, birth, sex) in cases {
            let iin = Iin::parse(&valid_with(prefix)).unwrap();
            assert_eq!((iin.birth_date(), iin.sex()), (birth, sex), "{iin}");
        }
        // 1900 was not a leap year, 2000 was.
        assert_eq!(Iin::parse(&valid_with("0002293")), Err(IinError::BirthDate));
    }

    #[test]
    fn conversions_and_serde() {
        let iin: Iin = "850115301238".parse().unwrap();
        assert_eq!(iin.to_string(), "850115301238");
        assert_eq!(iin.as_ref(), iin.as_str());
        assert_eq!(
            Iin::try_from("920724405673".to_owned()).unwrap().as_str(),
            "920724405673"
        );
        assert_eq!(
            serde_json::to_string(&iin).unwrap(),
            "\"850115301238\"".to_owned()
        );
        assert_eq!(
            serde_json::from_str::<Iin>("\"850115301238\"").unwrap(),
            iin
        );
        assert!(serde_json::from_str::<Iin>("\"850115301239\"").is_err());
        assert!(serde_json::from_str::<Iin>("850115301238").is_err());
    }
}
