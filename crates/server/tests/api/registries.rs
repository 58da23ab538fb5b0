use qoltanba_domain::{Bin, Iin};
use qoltanba_server::demo::{ORGANISATIONS, PEOPLE};

use crate::{spawn_app, spawn_with};

#[tokio::test]
async fn the_demo_registries_hold_the_seeded_people() {
    let app = spawn_app().await;
    let head = Iin::parse("850115301238").unwrap();
    let person = app
        .state
        .individuals
        .find(&head)
        .await
        .unwrap()
        .expect("seeded");
    assert_eq!(
        (person.surname.as_str(), person.name.as_str()),
        ("Сейткали", "Ерлан")
    );
    assert_eq!(person.documents.len(), 1);
    let org = app
        .state
        .legal_entities
        .find(&Bin::parse("150340001236").unwrap())
        .await
        .unwrap()
        .expect("seeded");
    assert_eq!(org.first_head, head);
    assert_eq!(org.signers, vec![Iin::parse("881105407009").unwrap()]);

    let no_phone = Iin::parse("900312307001").unwrap();
    assert_eq!(
        app.state.mobile_citizens.phone_of(&no_phone).await.unwrap(),
        None
    );
    for p in PEOPLE.iter().filter(|p| p.phone.is_some()) {
        let phone = app
            .state
            .mobile_citizens
            .phone_of(&Iin::parse(p.iin).unwrap())
            .await
            .unwrap();
        assert_eq!(phone.map(String::from).as_deref(), p.phone);
    }
    let unknown = Iin::parse("920724405673").unwrap();
    assert!(app
        .state
        .individuals
        .find(&unknown)
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn a_phone_can_be_registered_and_a_restart_keeps_data_and_reseeds_idempotently() {
    let app = spawn_app().await;
    let iin = Iin::parse("900312307001").unwrap();
    let phone = qoltanba_domain::PhoneNumber::parse("+77770001122").unwrap();
    app.state
        .mobile_citizens
        .register(&iin, &phone, "operator-test")
        .await
        .unwrap();

    let data_dir = app.data_dir;
    app.state.db.close().await;
    let again = spawn_with(data_dir, true).await;
    assert_eq!(
        again.state.mobile_citizens.phone_of(&iin).await.unwrap(),
        Some(phone)
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sim_legal_entities")
        .fetch_one(&again.state.db)
        .await
        .unwrap();
    assert_eq!(count, ORGANISATIONS.len() as i64);
}
