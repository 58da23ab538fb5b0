//! The first screens in a real browser: the landing page, the webcam check with
//! Chromium's fake camera playing the fixture video, and the no-webcam path.

use qoltanba_e2e::{videos, Browser, Camera, TestServer};
use thirtyfour::prelude::*;

const START: &str = "Получить ЭЦП удаленно";

#[tokio::test(flavor = "multi_thread")]
async fn the_landing_page_offers_remote_issuance() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = Browser::start(Camera::None).await?;
    browser.open(&server.url("/")).await?;

    browser.button(START).await?;
    let title = browser.driver.find(By::Css("h1")).await?.text().await?;
    assert_eq!(title, "Получение электронной цифровой подписи удаленно");
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_webcam_check_finds_the_camera() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = Browser::start(Camera::Video(videos().face_center)).await?;
    browser.open(&server.url("/")).await?;

    browser.button(START).await?.click().await?;
    browser
        .wait_for_text("#webcam-result", "Веб-камера имеется")
        .await?;
    assert!(browser
        .driver
        .current_url()
        .await?
        .path()
        .ends_with("/apply/webcam"));
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_webcam_the_guide_message_and_a_retry_are_shown() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = Browser::start(Camera::None).await?;
    browser.open(&server.url("/")).await?;

    browser.button(START).await?.click().await?;
    let no_camera =
        "Не найдена веб-камера. Убедитесь, что веб-камера включена и разрешен к ней доступ.";
    browser.wait_for_text("#webcam-result", no_camera).await?;
    // Retrying runs the check again and, still without a camera, says so again.
    browser.button("Повторить проверку").await?.click().await?;
    browser.wait_for_text("#webcam-result", no_camera).await?;
    browser.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_loads_the_app_and_the_language_switch_translates_it() -> WebDriverResult<()> {
    let server = TestServer::start().await;
    let browser = Browser::start(Camera::None).await?;
    // A client-side route loaded directly: the server answers with the SPA.
    browser.open(&server.url("/apply/webcam")).await?;
    browser.wait_for_text("h1", "Проверка веб-камеры").await?;

    let switch = browser.driver.find(By::Id("language")).await?;
    switch.click().await?;
    browser
        .driver
        .find(By::Css("#language option[value='kk']"))
        .await?
        .click()
        .await?;
    browser.wait_for_text("h1", "Веб-камераны тексеру").await?;
    let lang = browser
        .driver
        .find(By::Css("html"))
        .await?
        .attr("lang")
        .await?;
    assert_eq!(lang.as_deref(), Some("kk"));
    browser.quit().await
}
