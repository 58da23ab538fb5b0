//! The machine-readable zone of identity documents (ICAO 9303): TD1, three lines of 30
//! on the back of the Kazakh ID card, and TD3, two lines of 44 in the passport. Every
//! check digit is verified; the Kazakh documents carry the IIN as optional data.

use time::{Date, Month};

use crate::error::ErrorCode;
use crate::iin::{Iin, Sex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MrzFormat {
    /// ID card: 3 × 30.
    Td1,
    /// Passport: 2 × 44.
    Td3,
}

/// A field of the zone that has its own check digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MrzField {
    DocumentNumber,
    BirthDate,
    Expiry,
    /// The passport's personal number (the IIN).
    PersonalNumber,
    /// The check over the whole zone.
    Composite,
}

impl MrzField {
    pub fn code(self) -> &'static str {
        match self {
            Self::DocumentNumber => "document_number",
            Self::BirthDate => "birth_date",
            Self::Expiry => "expiry",
            Self::PersonalNumber => "personal_number",
            Self::Composite => "composite",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    #[error("the zone has 3 lines of 30 (ID card) or 2 lines of 44 (passport)")]
    Shape,
    #[error("the zone has only A–Z, 0–9 and <")]
    Character,
    #[error("check digits do not match: {0:?}")]
    CheckDigits(Vec<MrzField>),
    #[error("a date in the zone does not exist: {0:?}")]
    Date(MrzField),
    #[error("the IIN in the zone is not a valid IIN")]
    Iin,
}

impl ErrorCode for MrzError {
    fn code(&self) -> &'static str {
        match self {
            Self::Shape => "mrz.shape",
            Self::Character => "mrz.character",
            Self::CheckDigits(_) => "mrz.check_digit",
            Self::Date(_) => "mrz.date",
            Self::Iin => "mrz.iin",
        }
    }
}

/// What the zone says, every check digit verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrz {
    pub format: MrzFormat,
    /// "ID", "I<", "P<"…
    pub document_code: String,
    pub issuing_state: String,
    pub document_number: String,
    pub birth_date: Date,
    pub sex: Option<Sex>,
    pub expiry: Date,
    pub nationality: String,
    pub surname: String,
    pub given_names: String,
    /// The IIN, where the document carries it (Kazakh ID cards and passports do).
    pub iin: Option<Iin>,
}

impl Mrz {
    /// Reads a zone as typed or recognised: lines may be separated by newlines or
    /// spaces, letters in any case. `today` decides the century of the birth date
    /// (a two-digit year after this year's is in the 1900s).
    pub fn parse(text: &str, today: Date) -> Result<Self, MrzError> {
        let lines: Vec<String> = text
            .split_whitespace()
            .map(|line| line.to_ascii_uppercase())
            .collect();
        if lines
            .iter()
            .flat_map(|line| line.bytes())
            .any(|b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<'))
        {
            return Err(MrzError::Character);
        }
        match lines.iter().map(String::len).collect::<Vec<_>>().as_slice() {
            [30, 30, 30] => parse_td1(&lines[0], &lines[1], &lines[2], today),
            [44, 44] => parse_td3(&lines[0], &lines[1], today),
            _ => Err(MrzError::Shape),
        }
    }
}

/// ICAO 9303's check digit: weights 7, 3, 1; digits count as themselves, A–Z as 10–35,
/// the filler `<` as 0.
pub fn check_digit(field: &str) -> u8 {
    let sum: u32 = field
        .bytes()
        .zip([7u32, 3, 1].iter().cycle())
        .map(|(b, w)| {
            let value = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                _ => 0,
            };
            value * w
        })
        .sum();
    b'0' + (sum % 10) as u8
}

/// Collects the fields whose check digit (the byte after them) is wrong.
struct Checks(Vec<MrzField>);

impl Checks {
    fn expect(&mut self, field: MrzField, data: &str, digit: u8) {
        if check_digit(data) != digit {
            self.0.push(field);
        }
    }

    fn done(self) -> Result<(), MrzError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(MrzError::CheckDigits(self.0))
        }
    }
}

fn parse_td1(l1: &str, l2: &str, l3: &str, today: Date) -> Result<Mrz, MrzError> {
    let mut checks = Checks(Vec::new());
    checks.expect(MrzField::DocumentNumber, &l1[5..14], l1.as_bytes()[14]);
    checks.expect(MrzField::BirthDate, &l2[0..6], l2.as_bytes()[6]);
    checks.expect(MrzField::Expiry, &l2[8..14], l2.as_bytes()[14]);
    let composite = [&l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]].concat();
    checks.expect(MrzField::Composite, &composite, l2.as_bytes()[29]);
    checks.done()?;
    let (surname, given_names) = names(l3);
    Ok(Mrz {
        format: MrzFormat::Td1,
        document_code: l1[0..2].to_owned(),
        issuing_state: text(&l1[2..5]),
        document_number: text(&l1[5..14]),
        birth_date: birth_date(&l2[0..6], today)?,
        sex: sex(l2.as_bytes()[7]),
        expiry: expiry(&l2[8..14])?,
        nationality: text(&l2[15..18]),
        surname,
        given_names,
        iin: iin_in(&l1[15..30])?,
    })
}

fn parse_td3(l1: &str, l2: &str, today: Date) -> Result<Mrz, MrzError> {
    let mut checks = Checks(Vec::new());
    checks.expect(MrzField::DocumentNumber, &l2[0..9], l2.as_bytes()[9]);
    checks.expect(MrzField::BirthDate, &l2[13..19], l2.as_bytes()[19]);
    checks.expect(MrzField::Expiry, &l2[21..27], l2.as_bytes()[27]);
    // An empty personal number may have `<` or 0 as its check digit.
    if l2[28..42].bytes().any(|b| b != b'<') || l2.as_bytes()[42] != b'<' {
        checks.expect(MrzField::PersonalNumber, &l2[28..42], l2.as_bytes()[42]);
    }
    let composite = [&l2[0..10], &l2[13..20], &l2[21..43]].concat();
    checks.expect(MrzField::Composite, &composite, l2.as_bytes()[43]);
    checks.done()?;
    let (surname, given_names) = names(&l1[5..44]);
    Ok(Mrz {
        format: MrzFormat::Td3,
        document_code: l1[0..2].to_owned(),
        issuing_state: text(&l1[2..5]),
        document_number: text(&l2[0..9]),
        birth_date: birth_date(&l2[13..19], today)?,
        sex: sex(l2.as_bytes()[20]),
        expiry: expiry(&l2[21..27])?,
        nationality: text(&l2[10..13]),
        surname,
        given_names,
        iin: iin_in(&l2[28..42])?,
    })
}

/// A field without its fillers.
fn text(field: &str) -> String {
    field.trim_end_matches('<').to_owned()
}

/// `SURNAME<<GIVEN<NAMES<<<`: `<<` between the parts, `<` between words.
fn names(field: &str) -> (String, String) {
    let field = field.trim_end_matches('<');
    let (surname, given) = field.split_once("<<").unwrap_or((field, ""));
    (surname.replace('<', " "), given.replace('<', " "))
}

fn sex(b: u8) -> Option<Sex> {
    match b {
        b'M' => Some(Sex::Male),
        b'F' => Some(Sex::Female),
        _ => None,
    }
}

/// Twelve digits at the start of the optional data are the IIN.
fn iin_in(optional: &str) -> Result<Option<Iin>, MrzError> {
    let digits = optional.trim_end_matches('<');
    if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Iin::parse(digits).map(Some).map_err(|_| MrzError::Iin)
    } else {
        Ok(None)
    }
}

fn yymmdd(field: &str, what: MrzField) -> Result<(i32, u8, u8), MrzError> {
    let number = |range: std::ops::Range<usize>| {
        field[range].parse::<u8>().map_err(|_| MrzError::Date(what))
    };
    Ok((i32::from(number(0..2)?), number(2..4)?, number(4..6)?))
}

fn date(year: i32, month: u8, day: u8, what: MrzField) -> Result<Date, MrzError> {
    let month = Month::try_from(month).map_err(|_| MrzError::Date(what))?;
    Date::from_calendar_date(year, month, day).map_err(|_| MrzError::Date(what))
}

fn birth_date(field: &str, today: Date) -> Result<Date, MrzError> {
    let (yy, month, day) = yymmdd(field, MrzField::BirthDate)?;
    let century = if 2000 + yy > today.year() { 1900 } else { 2000 };
    date(century + yy, month, day, MrzField::BirthDate)
}

/// Documents expire in this century.
fn expiry(field: &str) -> Result<Date, MrzError> {
    let (yy, month, day) = yymmdd(field, MrzField::Expiry)?;
    date(2000 + yy, month, day, MrzField::Expiry)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 11 - 25);

    /// Builds a field of `width`, padded with fillers.
    fn pad(text: &str, width: usize) -> String {
        format!("{text:<<width$}")
    }

    fn with_check(field: &str) -> String {
        format!("{field}{}", check_digit(field) as char)
    }

    /// A Kazakh ID card's zone, made as ICAO 9303 says, check digits and all.
    fn td1(number: &str, iin: &str, birth: &str, sex: char, expiry: &str, names: &str) -> String {
        let l1 = format!("IDKAZ{}{}", with_check(&pad(number, 9)), pad(iin, 15));
        let l2_head = format!(
            "{}{sex}{}KAZ{}",
            with_check(birth),
            with_check(expiry),
            pad("", 11)
        );
        let composite = [
            &l1[5..30],
            &l2_head[0..7],
            &l2_head[8..15],
            &l2_head[18..29],
        ]
        .concat();
        let l2 = format!("{l2_head}{}", check_digit(&composite) as char);
        format!("{l1}\n{l2}\n{}", pad(names, 30))
    }

    fn td3(number: &str, iin: &str, birth: &str, sex: char, expiry: &str, names: &str) -> String {
        let l1 = format!("P<KAZ{}", pad(names, 39));
        let head = format!(
            "{}KAZ{}{sex}{}{}",
            with_check(&pad(number, 9)),
            with_check(birth),
            with_check(expiry),
            with_check(&pad(iin, 14))
        );
        let composite = [&head[0..10], &head[13..20], &head[21..43]].concat();
        format!("{l1}\n{head}{}", check_digit(&composite) as char)
    }

    #[test]
    fn check_digits_follow_icao_9303() {
        // The specimen of ICAO 9303 part 3: "L898902C3" has check digit 6.
        assert_eq!(check_digit("L898902C3"), b'6');
        assert_eq!(check_digit("740812"), b'2');
        assert_eq!(check_digit("<<<<<<"), b'0');
    }

    #[test]
    fn a_kazakh_id_card_reads_with_its_iin() {
        let zone = td1(
            "049002145",
            "920724405673",
            "920724",
            'F',
            "320301",
            "ZHAKSYBEKOVA<<AIGERIM<SERIK",
        );
        let mrz = Mrz::parse(&zone, TODAY).unwrap();
        assert_eq!(mrz.format, MrzFormat::Td1);
        assert_eq!(mrz.document_number, "049002145");
        assert_eq!(mrz.issuing_state, "KAZ");
        assert_eq!(mrz.birth_date, date!(1992 - 07 - 24));
        assert_eq!(mrz.expiry, date!(2032 - 03 - 01));
        assert_eq!(mrz.sex, Some(Sex::Female));
        assert_eq!(mrz.surname, "ZHAKSYBEKOVA");
        assert_eq!(mrz.given_names, "AIGERIM SERIK");
        assert_eq!(mrz.iin, Some(Iin::parse("920724405673").unwrap()));
    }

    #[test]
    fn a_kazakh_passport_reads_with_its_iin() {
        let zone = td3(
            "N12345678",
            "010214607001",
            "010214",
            'F',
            "310101",
            "SERIKOVA<<DANA",
        );
        let mrz = Mrz::parse(&zone, TODAY).unwrap();
        assert_eq!(mrz.format, MrzFormat::Td3);
        assert_eq!(mrz.document_number, "N12345678");
        assert_eq!(mrz.birth_date, date!(2001 - 02 - 14));
        assert_eq!(
            (mrz.surname.as_str(), mrz.given_names.as_str()),
            ("SERIKOVA", "DANA")
        );
        assert_eq!(mrz.iin, Some(Iin::parse("010214607001").unwrap()));
    }

    #[test]
    fn typed_zones_may_be_lower_case_and_spaced() {
        let zone = td1(
            "049002145",
            "920724405673",
            "920724",
            'F',
            "320301",
            "ZHAKSYBEKOVA<<AIGERIM",
        );
        let typed = zone.to_lowercase().replace('\n', "  ");
        assert_eq!(Mrz::parse(&typed, TODAY), Mrz::parse(&zone, TODAY));
    }

    #[test]
    fn each_broken_check_digit_is_named() {
        let zone = td1(
            "049002145",
            "920724405673",
            "920724",
            'F',
            "320301",
            "ZHAKSYBEKOVA<<AIGERIM",
        );
        let broken = |line: usize, at: usize| {
            let mut lines: Vec<Vec<u8>> = zone.lines().map(|l| l.as_bytes().to_vec()).collect();
            let b = &mut lines[line][at];
            *b = if *b == b'9' { b'0' } else { b'9' };
            lines
                .iter()
                .map(|l| String::from_utf8(l.clone()).unwrap())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let fields = |text: &str| match Mrz::parse(text, TODAY) {
            Err(MrzError::CheckDigits(fields)) => fields,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fields(&broken(0, 14)),
            vec![MrzField::DocumentNumber, MrzField::Composite]
        );
        assert_eq!(
            fields(&broken(1, 6)),
            vec![MrzField::BirthDate, MrzField::Composite]
        );
        assert_eq!(
            fields(&broken(1, 14)),
            vec![MrzField::Expiry, MrzField::Composite]
        );
        assert_eq!(fields(&broken(1, 29)), vec![MrzField::Composite]);
        // A changed digit of the number itself: its own check and the composite fail.
        assert_eq!(
            fields(&broken(0, 8)),
            vec![MrzField::DocumentNumber, MrzField::Composite]
        );

        let passport = td3(
            "N12345678",
            "010214607001",
            "010214",
            'F',
            "310101",
            "SERIKOVA<<DANA",
        );
        let mut l2 = passport.lines().nth(1).unwrap().as_bytes().to_vec();
        l2[42] = if l2[42] == b'1' { b'2' } else { b'1' };
        let text = format!(
            "{}\n{}",
            passport.lines().next().unwrap(),
            String::from_utf8(l2).unwrap()
        );
        assert_eq!(
            fields(&text),
            vec![MrzField::PersonalNumber, MrzField::Composite]
        );
    }

    #[test]
    fn shapes_characters_dates_and_iins_are_checked() {
        assert_eq!(Mrz::parse("IDKAZ123", TODAY), Err(MrzError::Shape));
        let zone = td1(
            "049002145",
            "920724405673",
            "920724",
            'F',
            "320301",
            "ZHAKSYBEKOVA<<AIGERIM",
        );
        assert_eq!(
            Mrz::parse(&zone.replacen('Z', "Ж", 1), TODAY),
            Err(MrzError::Character)
        );
        let no_such_day = td1("049002145", "", "920231", 'F', "320301", "A<<B");
        assert_eq!(
            Mrz::parse(&no_such_day, TODAY),
            Err(MrzError::Date(MrzField::BirthDate))
        );
        let bad_iin = td1("049002145", "920724405674", "920724", 'F', "320301", "A<<B");
        assert_eq!(Mrz::parse(&bad_iin, TODAY), Err(MrzError::Iin));
        // Without an IIN in the optional data the zone still reads.
        let foreign = td1("X1", "", "850115", 'M', "300101", "DOE<<JOHN");
        let mrz = Mrz::parse(&foreign, TODAY).unwrap();
        assert_eq!((mrz.document_number.as_str(), mrz.iin), ("X1", None));
        assert_eq!(mrz.birth_date, date!(1985 - 01 - 15));
    }
}
