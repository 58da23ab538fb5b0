//! Steps 10–13 of the guide in a real browser with the fake camera: the selfie taken by
//! itself when the face is centred and still, and the video liveness challenge, which
//! the face worker follows in the page and the server checks again.

use std::path::PathBuf;
use std::time::Duration;

use qoltanba_domain::liveness::Action;
use qoltanba_e2e::{verified_employee_at, videos, Browser, TestServer};
use thirtyfour::prelude::*;

/// The movements of the `liveness_sequence` video, in its order.
const VIDEO_ORDER: [Action; 3] = [Action::TurnLeft, Action::TurnRight, Action::MoveCloser];
/// A whole challenge played by the fake camera, with the models loading first.
const CHALLENGE_WAIT: Duration = Duration::from_secs(60);

/// A browser whose camera plays `video`, at the selfie step of a verified employee.
async fn at_the_selfie(server: &TestServer, video: PathBuf) -> WebDriverResult<Browser> {
    let browser = verified_employee_at(server, video, "/digital-id/selfie").await?;
    browser.wait_for_text("h1", "Подтвердите личность").await?;
    Ok(browser)
}

/// Waits for the automatic picture, sends it, and starts the liveness challenge.
async fn selfie_then_start(browser: &Browser) -> WebDriverResult<()> {
    browser
        .driver
        .query(By::Css("img.selfie-preview"))
        .wait(CHALLENGE_WAIT, Duration::from_millis(100))
        .first()
        .await?;
    browser.button("Отправить").await?.click().await?;
    browser
        .wait_for_text_containing("p.success", "Снимок принят")
        .await?;
    browser.button("Продолжить").await?.click().await?;
    browser.wait_for_text("h1", "Видеоидентификация").await?;
    browser.click_when_enabled("Начать").await
}

#[tokio::test]
async fn a_live_face_is_photographed_by_itself_and_passes_the_challenge() -> WebDriverResult<()> {
    let server = TestServer::with_challenge(&VIDEO_ORDER, 60).await;
    let browser = at_the_selfie(&server, videos().liveness_sequence).await?;
    selfie_then_start(&browser).await?;
    browser
        .wait_long_for_text_containing("#liveness-result", "Личность подтверждена", CHALLENGE_WAIT)
        .await?;
    browser.quit().await
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
