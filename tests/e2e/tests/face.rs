//! Steps 10–13 of the guide in a real browser with the fake camera: the ways the face
//! check fails (a live face passing it is part of the whole Digital ID path, in
//! `digital_id.rs`).

use std::path::PathBuf;

use qoltanba_domain::liveness::Action;
use qoltanba_e2e::{
    employee_at, selfie_then_start, videos, Browser, Start, TestServer, CHALLENGE_WAIT, VIDEO_ORDER,
};
use thirtyfour::prelude::*;

/// A browser whose camera plays `video`, at the selfie step of a verified employee.
async fn at_the_selfie(server: &TestServer, video: PathBuf) -> WebDriverResult<Browser> {
    let (browser, _) = employee_at(server, Start::SignedIn, video, "/digital-id/selfie").await?;
    browser.wait_for_text("h1", "Подтвердите личность").await?;
    Ok(browser)
}

#[tokio::test]
async fn the_wrong_order_of_movements_fails() -> WebDriverResult<()> {
    let server = TestServer::with_challenge(
        &[Action::TurnRight, Action::TurnLeft, Action::MoveCloser],
        60,
    )
    .await;
    let browser = at_the_selfie(&server, videos().liveness_sequence).await?;
    selfie_then_start(&browser).await?;
    browser
        .wait_long_for_text_containing(
            "#liveness-status",
            "Выполнено не то движение",
            CHALLENGE_WAIT,
        )
        .await?;
    // Another try is offered, and the operator route stays open.
    browser.button("Попробовать еще раз").await?;
    browser
        .button("Не могу выполнить движения — идентификация у оператора")
        .await?;
    browser.quit().await
}

#[tokio::test]
async fn a_still_photo_does_not_pass() -> WebDriverResult<()> {
    let server = TestServer::with_challenge(&VIDEO_ORDER, 8).await;
    let browser = at_the_selfie(&server, videos().still_photo).await?;
    selfie_then_start(&browser).await?;
    browser
        .wait_long_for_text_containing("#liveness-status", "Время вышло", CHALLENGE_WAIT)
        .await?;
    browser.quit().await
}

#[tokio::test]
async fn an_empty_room_has_no_face_to_photograph() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = at_the_selfie(&server, videos().no_face).await?;
    browser
        .wait_long_for_text_containing("#face-guidance", "Лицо не найдено", CHALLENGE_WAIT)
        .await?;
    browser.quit().await
}
