//! Demo data for the simulated registries: enough people for every path of the flow.
//! Seeding is idempotent (`INSERT OR IGNORE`), so it runs at every start with `--demo`.

use sqlx::SqlitePool;
use time::macros::{date, datetime};
use time::Date;

/// One demo person, as the README's table lists them.
pub struct DemoPerson {
    pub iin: &'static str,
    pub surname: &'static str,
    pub name: &'static str,
    pub patronymic: &'static str,
    pub birth_date: Date,
    /// The BIN of the organisation, if any.
    pub organisation: Option<&'static str>,
    pub role: &'static str,
    pub phone: Option<&'static str>,
    /// "fixture": the test photo's face (a match); "other": someone else's (a mismatch).
    pub reference_photo: &'static str,
    pub id_card: &'static str,
}

/// The simulated registry's reference photos, by the name `reference_photo` gives:
/// the fixture face (`tests/fixtures/astronaut.png`) and someone else's.
pub fn reference_photo(name: &str) -> Option<&'static [u8]> {
    match name {
        "fixture" => Some(include_bytes!("../../../tests/fixtures/astronaut.png")),
        "other" => Some(include_bytes!(
            "../../../tests/fixtures/reference_other.png"
        )),
        _ => None,
    }
}

pub struct DemoOrganisation {
    pub bin: &'static str,
    pub name: &'static str,
    pub first_head: &'static str,
    pub signers: &'static [&'static str],
}

pub const ORGANISATIONS: [DemoOrganisation; 2] = [
    DemoOrganisation {
        bin: "150340001236",
        name: "ТОО «Qoltanba Demo»",
        first_head: "850115301238",
        signers: &["881105407009"],
    },
    DemoOrganisation {
        bin: "181141007896",
        name: "АО «Степь Логистик» (филиал)",
        first_head: "790921307007",
        signers: &[],
    },
];

pub const PEOPLE: [DemoPerson; 7] = [
    DemoPerson {
        iin: "850115301238",
        surname: "Сейткали",
        name: "Ерлан",
        patronymic: "Нурланович",
        birth_date: date!(1985 - 01 - 15),
        organisation: Some("150340001236"),
        role: "first head",
        phone: Some("+77011234567"),
        reference_photo: "fixture",
        id_card: "045123781",
    },
    DemoPerson {
        iin: "920724405673",
        surname: "Ахметова",
        name: "Айгерим",
        patronymic: "Болатовна",
        birth_date: date!(1992 - 07 - 24),
        organisation: Some("150340001236"),
        role: "employee",
        phone: Some("+77017654321"),
        reference_photo: "fixture",
        id_card: "047881203",
    },
    DemoPerson {
        iin: "881105407009",
        surname: "Ким",
        name: "Елена",
        patronymic: "Викторовна",
        birth_date: date!(1988 - 11 - 05),
        organisation: Some("150340001236"),
        role: "employee with signing rights",
        phone: Some("+77051112233"),
        reference_photo: "fixture",
        id_card: "041559034",
    },
    DemoPerson {
        iin: "900312307001",
        surname: "Жумабаев",
        name: "Данияр",
        patronymic: "Асетович",
        birth_date: date!(1990 - 03 - 12),
        organisation: Some("150340001236"),
        role: "employee, no registered phone",
        phone: None,
        reference_photo: "fixture",
        id_card: "043310977",
    },
    DemoPerson {
        iin: "950630307072",
        surname: "Омаров",
        name: "Тимур",
        patronymic: "Русланович",
        birth_date: date!(1995 - 06 - 30),
        organisation: Some("150340001236"),
        role: "employee whose face is not the registry photo's (the operator route)",
        phone: Some("+77071234500"),
        reference_photo: "other",
        id_card: "049002145",
    },
    DemoPerson {
        iin: "790921307007",
        surname: "Нуртаев",
        name: "Бауыржан",
        patronymic: "Кайратович",
        birth_date: date!(1979 - 09 - 21),
        organisation: Some("181141007896"),
        role: "first head",
        phone: Some("+77772223344"),
        reference_photo: "fixture",
        id_card: "038877120",
    },
    DemoPerson {
        iin: "010214607001",
        surname: "Серикова",
        name: "Дана",
        patronymic: "Ерлановна",
        birth_date: date!(2001 - 02 - 14),
        organisation: None,
        role: "individual",
        phone: Some("+77475556677"),
        reference_photo: "fixture",
        id_card: "052214790",
    },
];

/// The demo operator of the moderation pages (`/operator`), as the README lists it.
pub struct DemoOperator {
    pub login: &'static str,
    pub name: &'static str,
    pub password: &'static str,
}

pub const OPERATOR: DemoOperator = DemoOperator {
    login: "operator",
    name: "Оператор НУЦ (демо)",
    password: "demo-operator-2026",
};

pub async fn seed(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    // Hashed here, so the database never holds the password; a new salt every start,
    // but an existing account is left as it is.
    let operator_hash = crate::argon::hash(OPERATOR.password);
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT OR IGNORE INTO operators (login, name, password_hash) VALUES (?, ?, ?)")
        .bind(OPERATOR.login)
        .bind(OPERATOR.name)
        .bind(operator_hash)
        .execute(&mut *tx)
        .await?;
    for p in &PEOPLE {
        sqlx::query(
            "INSERT OR IGNORE INTO sim_individuals
             (iin, surname, name, patronymic, birth_date, reference_photo) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(p.iin)
        .bind(p.surname)
        .bind(p.name)
        .bind(p.patronymic)
        .bind(p.birth_date)
        .bind(p.reference_photo)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT OR IGNORE INTO sim_id_documents (iin, kind, number, issued_on, expires_on, issuer)
             VALUES (?, 'id_card', ?, ?, ?, 'МВД РК')",
        )
        .bind(p.iin)
        .bind(p.id_card)
        .bind(date!(2021 - 04 - 12))
        .bind(date!(2031 - 04 - 11))
        .execute(&mut *tx)
        .await?;
        if let Some(phone) = p.phone {
            sqlx::query(
                "INSERT OR IGNORE INTO sim_mobile_phones (iin, phone, registered_at, registered_by)
                 VALUES (?, ?, ?, 'seed')",
            )
            .bind(p.iin)
            .bind(phone)
            .bind(datetime!(2024-01-10 09:00 UTC))
            .execute(&mut *tx)
            .await?;
        }
    }
    for o in &ORGANISATIONS {
        sqlx::query(
            "INSERT OR IGNORE INTO sim_legal_entities (bin, name, first_head_iin) VALUES (?, ?, ?)",
        )
        .bind(o.bin)
        .bind(o.name)
        .bind(o.first_head)
        .execute(&mut *tx)
        .await?;
        for signer in o.signers {
            sqlx::query("INSERT OR IGNORE INTO sim_signers (bin, iin) VALUES (?, ?)")
                .bind(o.bin)
                .bind(signer)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoltanba_domain::{Bin, Iin, PhoneNumber};

    #[test]
    fn every_seeded_identifier_parses_and_matches_its_person() {
        for p in &PEOPLE {
            let iin = Iin::parse(p.iin).unwrap_or_else(|e| panic!("{}: {e}", p.iin));
            assert_eq!(iin.birth_date(), p.birth_date, "{}", p.iin);
            if let Some(phone) = p.phone {
                assert_eq!(PhoneNumber::parse(phone).unwrap().as_str(), phone);
            }
            assert!(p
                .organisation
                .is_none_or(|bin| ORGANISATIONS.iter().any(|o| o.bin == bin)));
        }
        for o in &ORGANISATIONS {
            Bin::parse(o.bin).unwrap();
            for iin in o.signers.iter().chain([&o.first_head]) {
                assert!(PEOPLE
                    .iter()
                    .any(|p| p.iin == *iin && p.organisation == Some(o.bin)));
            }
        }
    }
}
