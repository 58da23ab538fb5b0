//! The identity document added to Digital ID (steps 14–17 of the guide): the fields of
//! «Подтвердить документ», where each came from, and the rules that turn the form into
//! a `Document` the server compares with the individuals registry.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::error::ErrorCode;
use crate::mrz::{Mrz, MrzField};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// «Удостоверение»: the ID card, TD1 zone on the back.
    IdCard,
    /// «Паспорт»: TD3 zone under the photo.
    Passport,
}

impl DocumentKind {
    pub const ALL: [Self; 2] = [Self::IdCard, Self::Passport];

    pub fn code(self) -> &'static str {
        match self {
            Self::IdCard => "id_card",
            Self::Passport => "passport",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The side whose photo shows the machine-readable zone.
    pub fn zone_side(self) -> Side {
        match self {
            Self::IdCard => Side::Back,
            Self::Passport => Side::Front,
        }
    }
}

/// The two photos of a document: «Сделайте фото лицевой и оборотной стороны».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Front,
    Back,
}

impl Side {
    pub const ALL: [Self; 2] = [Self::Front, Self::Back];

    pub fn code(self) -> &'static str {
        match self {
            Self::Front => "front",
            Self::Back => "back",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The fields of «Подтвердить документ», in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentField {
    Number,
    Surname,
    Name,
    Patronymic,
    BirthDate,
    BirthPlace,
    Nationality,
    Issuer,
    IssuedOn,
    ExpiresOn,
}

impl DocumentField {
    pub const ALL: [Self; 10] = [
        Self::Number,
        Self::Surname,
        Self::Name,
        Self::Patronymic,
        Self::BirthDate,
        Self::BirthPlace,
        Self::Nationality,
        Self::Issuer,
        Self::IssuedOn,
        Self::ExpiresOn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Surname => "surname",
            Self::Name => "name",
            Self::Patronymic => "patronymic",
            Self::BirthDate => "birth_date",
            Self::BirthPlace => "birth_place",
            Self::Nationality => "nationality",
            Self::Issuer => "issuer",
            Self::IssuedOn => "issued_on",
            Self::ExpiresOn => "expires_on",
        }
    }

    /// The fields marked * in the guide's form.
    pub fn required(self) -> bool {
        matches!(
            self,
            Self::Number | Self::Surname | Self::Name | Self::BirthDate | Self::ExpiresOn
        )
    }

    /// Dates are typed as `YYYY-MM-DD` (what `<input type="date">` gives).
    pub fn is_date(self) -> bool {
        matches!(self, Self::BirthDate | Self::IssuedOn | Self::ExpiresOn)
    }

    /// The form field an MRZ check digit vouches for.
    pub fn of_mrz(field: MrzField) -> Option<Self> {
        match field {
            MrzField::DocumentNumber => Some(Self::Number),
            MrzField::BirthDate => Some(Self::BirthDate),
            MrzField::Expiry => Some(Self::ExpiresOn),
            MrzField::PersonalNumber | MrzField::Composite => None,
        }
    }
}

/// Where the value of a field came from, shown beside it and kept for the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldSource {
    /// Read from the machine-readable zone, its check digits verified.
    Mrz,
    /// Typed (or corrected) by the applicant.
    Typed,
}

/// The form's text, field by field, as sent.
pub type DocumentFields = BTreeMap<DocumentField, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("this field is required")]
    Required,
    #[error("an ID card number has 9 digits, a passport number N and 8 digits")]
    Number,
    #[error("letters, spaces, hyphens and apostrophes only")]
    Letters,
    #[error("too long")]
    TooLong,
    #[error("not a date (YYYY-MM-DD)")]
    Date,
    #[error("a date in the future")]
    Future,
    #[error("the document has expired")]
    Expired,
    #[error("the document expires before it was issued")]
    BeforeIssue,
}

impl FieldError {
    pub const ALL: [Self; 8] = [
        Self::Required,
        Self::Number,
        Self::Letters,
        Self::TooLong,
        Self::Date,
        Self::Future,
        Self::Expired,
        Self::BeforeIssue,
    ];
}

impl ErrorCode for FieldError {
    fn code(&self) -> &'static str {
        match self {
            Self::Required => "document.required",
            Self::Number => "document.number",
            Self::Letters => "document.letters",
            Self::TooLong => "document.too_long",
            Self::Date => "document.date",
            Self::Future => "document.future",
            Self::Expired => "document.expired",
            Self::BeforeIssue => "document.before_issue",
        }
    }
}

/// A text field longer than this is not a document's.
pub const MAX_TEXT: usize = 100;

/// The form, parsed: required fields present, dates real, the document not expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocumentKind,
    pub number: String,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub birth_date: Date,
    pub birth_place: Option<String>,
    pub nationality: Option<String>,
    pub issuer: Option<String>,
    pub issued_on: Option<Date>,
    pub expires_on: Date,
}

impl Document {
    /// Every field's problem at once, so the form can show them together. `today`
    /// decides what is in the future and what has expired.
    pub fn parse(
        kind: DocumentKind,
        fields: &DocumentFields,
        today: Date,
    ) -> Result<Self, BTreeMap<DocumentField, FieldError>> {
        let mut errors = BTreeMap::new();
        let mut read = |field: DocumentField| -> Option<String> {
            let value = fields.get(&field).map(|v| v.trim()).unwrap_or_default();
            let checked = if value.is_empty() {
                if field.required() {
                    Err(FieldError::Required)
                } else {
                    return None;
                }
            } else {
                check_text(kind, field, value)
            };
            checked.map_err(|e| errors.insert(field, e)).ok()
        };
        let number = read(DocumentField::Number);
        let surname = read(DocumentField::Surname);
        let name = read(DocumentField::Name);
        let patronymic = read(DocumentField::Patronymic);
        let birth_place = read(DocumentField::BirthPlace);
        let nationality = read(DocumentField::Nationality);
        let issuer = read(DocumentField::Issuer);
        let birth_date = read(DocumentField::BirthDate).and_then(|d| parse_date(&d));
        let issued_on = read(DocumentField::IssuedOn).and_then(|d| parse_date(&d));
        let expires_on = read(DocumentField::ExpiresOn).and_then(|d| parse_date(&d));
        let mut fail = |field, error| {
            errors.entry(field).or_insert(error);
        };
        if birth_date.is_some_and(|d| d > today) {
            fail(DocumentField::BirthDate, FieldError::Future);
        }
        if issued_on.is_some_and(|d| d > today) {
            fail(DocumentField::IssuedOn, FieldError::Future);
        }
        if expires_on.is_some_and(|d| d < today) {
            fail(DocumentField::ExpiresOn, FieldError::Expired);
        }
        if let (Some(issued), Some(expires)) = (issued_on, expires_on) {
            if expires <= issued {
                fail(DocumentField::ExpiresOn, FieldError::BeforeIssue);
            }
        }
        match (number, surname, name, birth_date, expires_on) {
            (Some(number), Some(surname), Some(name), Some(birth_date), Some(expires_on))
                if errors.is_empty() =>
            {
                Ok(Self {
                    kind,
                    number,
                    surname,
                    name,
                    patronymic,
                    birth_date,
                    birth_place,
                    nationality,
                    issuer,
                    issued_on,
                    expires_on,
                })
            }
            _ => Err(errors),
        }
    }

    /// The fields that say something else than the zone (which has passed its check digits).
    pub fn differences_from(&self, mrz: &Mrz) -> Vec<DocumentField> {
        let mut differ = Vec::new();
        if mrz.document_number != self.number {
            differ.push(DocumentField::Number);
        }
        if mrz.birth_date != self.birth_date {
            differ.push(DocumentField::BirthDate);
        }
        if mrz.expiry != self.expires_on {
            differ.push(DocumentField::ExpiresOn);
        }
        differ
    }
}

/// The form fields a zone fills: what it carries in the document's own script-free form.
pub fn fields_from_mrz(mrz: &Mrz) -> DocumentFields {
    BTreeMap::from([
        (DocumentField::Number, mrz.document_number.clone()),
        (DocumentField::BirthDate, format_date(mrz.birth_date)),
        (DocumentField::ExpiresOn, format_date(mrz.expiry)),
    ])
}

fn check_text(kind: DocumentKind, field: DocumentField, value: &str) -> Result<String, FieldError> {
    if value.chars().count() > MAX_TEXT {
        return Err(FieldError::TooLong);
    }
    match field {
        DocumentField::Number => {
            let number = value.to_uppercase();
            let digits = |s: &str| s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit());
            let valid = match kind {
                DocumentKind::IdCard => {
                    number.len() == 9 && number.bytes().all(|b| b.is_ascii_digit())
                }
                DocumentKind::Passport => number.strip_prefix('N').is_some_and(digits),
            };
            if valid {
                Ok(number)
            } else {
                Err(FieldError::Number)
            }
        }
        DocumentField::Surname | DocumentField::Name | DocumentField::Patronymic => {
            let letters = value
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’'));
            if letters {
                Ok(value.to_owned())
            } else {
                Err(FieldError::Letters)
            }
        }
        field if field.is_date() => parse_date(value).map(format_date).ok_or(FieldError::Date),
        _ => Ok(value.to_owned()),
    }
}

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse::<i32>().ok()?;
    let month = parts.next()?.parse::<u8>().ok()?;
    let day = parts.next()?.parse::<u8>().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Names are compared as people write them: case, spaces and Ё/Е do not matter.
pub fn same_name(a: &str, b: &str) -> bool {
    let fold = |s: &str| -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .replace('ё', "е")
    };
    fold(a) == fold(b)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn form(pairs: &[(DocumentField, &str)]) -> DocumentFields {
        pairs.iter().map(|(f, v)| (*f, (*v).to_owned())).collect()
    }

    fn complete() -> DocumentFields {
        form(&[
            (DocumentField::Number, "047881203"),
            (DocumentField::Surname, "Ахметова"),
            (DocumentField::Name, "Айгерим"),
            (DocumentField::Patronymic, "Болатовна"),
            (DocumentField::BirthDate, "1992-07-24"),
            (DocumentField::IssuedOn, "2021-04-12"),
            (DocumentField::ExpiresOn, "2031-04-11"),
        ])
    }

    #[test]
    fn a_complete_form_parses() {
        let document = Document::parse(DocumentKind::IdCard, &complete(), TODAY).unwrap();
        assert_eq!(document.number, "047881203");
        assert_eq!(document.birth_date, date!(1992 - 07 - 24));
        assert_eq!(document.patronymic.as_deref(), Some("Болатовна"));
        assert_eq!(document.birth_place, None);
    }

    #[test]
    fn every_problem_is_named_on_its_field() {
        let errors = Document::parse(
            DocumentKind::IdCard,
            &form(&[
                (DocumentField::Number, "04788120"),
                (DocumentField::Surname, "Ахметова1"),
                (DocumentField::BirthDate, "1992-02-30"),
                (DocumentField::ExpiresOn, "2026-11-24"),
            ]),
            TODAY,
        )
        .unwrap_err();
        assert_eq!(
            errors,
            BTreeMap::from([
                (DocumentField::Number, FieldError::Number),
                (DocumentField::Surname, FieldError::Letters),
                (DocumentField::Name, FieldError::Required),
                (DocumentField::BirthDate, FieldError::Date),
                (DocumentField::ExpiresOn, FieldError::Expired),
            ])
        );
    }

    #[test]
    fn passport_numbers_start_with_n() {
        let mut fields = complete();
        fields.insert(DocumentField::Number, "n12345678".into());
        let passport = Document::parse(DocumentKind::Passport, &fields, TODAY).unwrap();
        assert_eq!(passport.number, "N12345678");
        let id_card = Document::parse(DocumentKind::IdCard, &fields, TODAY).unwrap_err();
        assert_eq!(id_card[&DocumentField::Number], FieldError::Number);
    }

    #[test]
    fn dates_must_be_in_order() {
        let mut fields = complete();
        fields.insert(DocumentField::IssuedOn, "2027-01-01".into());
        fields.insert(DocumentField::ExpiresOn, "2026-12-31".into());
        let errors = Document::parse(DocumentKind::IdCard, &fields, TODAY).unwrap_err();
        assert_eq!(errors[&DocumentField::IssuedOn], FieldError::Future);
        assert_eq!(errors[&DocumentField::ExpiresOn], FieldError::BeforeIssue);
    }

    #[test]
    fn mrz_fields_fill_the_form_and_differences_are_found() {
        let mrz = Mrz {
            format: crate::mrz::MrzFormat::Td1,
            document_code: "ID".into(),
            issuing_state: "KAZ".into(),
            document_number: "047881203".into(),
            birth_date: date!(1992 - 07 - 24),
            sex: None,
            expiry: date!(2031 - 04 - 11),
            nationality: "KAZ".into(),
            surname: "AKHMETOVA".into(),
            given_names: "AIGERIM".into(),
            iin: None,
        };
        let mut fields = complete();
        fields.extend(fields_from_mrz(&mrz));
        let document = Document::parse(DocumentKind::IdCard, &fields, TODAY).unwrap();
        assert!(document.differences_from(&mrz).is_empty());
        fields.insert(DocumentField::Number, "047881208".into());
        let typo = Document::parse(DocumentKind::IdCard, &fields, TODAY).unwrap();
        assert_eq!(typo.differences_from(&mrz), vec![DocumentField::Number]);
    }

    #[test]
    fn names_compare_as_written() {
        assert!(same_name("  Семёнова ", "СЕМЕНОВА"));
        assert!(same_name("Анна  Мария", "анна мария"));
        assert!(!same_name("Ахметова", "Ахметов"));
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(parse_date("2031-04-11"), Some(date!(2031 - 04 - 11)));
        assert_eq!(format_date(date!(2031 - 04 - 01)), "2031-04-01");
        assert_eq!(parse_date("11.04.2031"), None);
    }
}
