//! The face check through the API, on frames rendered from the fixture photo: the
//! selfie, a challenge answered with the right movements, and every way to fail it.

use std::io::Cursor;
use std::sync::Arc;

use base64::Engine;
use qoltanba_domain::api::{LivenessChallenge, LivenessResult};
use qoltanba_domain::liveness::{Action, MAX_FAILURES};
use qoltanba_face::mesh::Mesh;
use qoltanba_face::{tracker, Detector, Detectors};
use qoltanba_fixtures::{empty_frame, render, Image, Pose, CLOSER, LEFT, RIGHT};
use qoltanba_server::face_check::ChallengeSource;
use serde_json::{json, Value};

use crate::digital_id::signed_in;
use crate::phone_checks::{EMPLOYEE, EMPLOYEE_PHONE, HEAD, HEAD_PHONE};
use crate::{error_code, spawn_with_challenges, TestApp};

const ORDER: [Action; 3] = [Action::TurnLeft, Action::TurnRight, Action::MoveCloser];

struct Fixed;

impl ChallengeSource for Fixed {
    fn actions(&self) -> Vec<Action> {
        ORDER.to_vec()
    }
}

async fn app() -> TestApp {
    spawn_with_challenges(Arc::new(Fixed)).await
}

/// A Digital ID session of the demo employee: the session the face check needs.
async fn session(app: &TestApp) -> String {
    signed_in(app, "employee", EMPLOYEE, EMPLOYEE_PHONE).await
}

fn jpeg(image: &Image) -> String {
    let rgb = image::RgbImage::from_raw(image.width as u32, image.height as u32, image.rgb.clone())
        .unwrap();
    let mut bytes = Cursor::new(Vec::new());
    rgb.write_to(&mut bytes, image::ImageFormat::Jpeg).unwrap();
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes.into_inner())
    )
}

/// The frames a page would send for these poses, with what its worker measured.
fn frames(poses: &[Pose]) -> Value {
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
    let read = |name: &str| std::fs::read(format!("{models}{name}")).unwrap();
    let detectors = Detectors {
        near: Detector::from_onnx(&read("blazeface_front_128.onnx")).unwrap(),
        far: Detector::far_from_onnx(&read("blazeface_back_256.onnx")).unwrap(),
    };
    let mesh = Mesh::from_onnx(&read("face_mesh_192.onnx")).unwrap();
    let photo = Image::load(&qoltanba_fixtures::photo_path()).unwrap();
    let frames: Vec<Value> = poses
        .iter()
        .enumerate()
        .map(|(i, &pose)| {
            let frame = render(&photo, pose);
            let at_ms = 200.0 * (i + 1) as f64;
            let (_, m) = tracker::measure(
                &detectors,
                &mesh,
                &frame.rgba(),
                frame.width,
                frame.height,
                at_ms,
            )
            .unwrap();
            let m = m.expect("a face in every rendered frame");
            json!({ "at_ms": at_ms, "image": jpeg(&frame), "yaw": m.yaw,
                    "face_width": m.face_width, "eye_openness": m.eye_openness })
        })
        .collect();
    json!({ "frames": frames })
}

const F: Pose = Pose::FRONTAL;
const LIVE: [Pose; 6] = [F, LEFT, F, RIGHT, F, CLOSER];

async fn post(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn selfie(app: &TestApp, session: &str, image: &Image) -> reqwest::Response {
    post(
        app,
        "/api/v1/selfies",
        &json!({ "session": session, "image": jpeg(image) }),
    )
    .await
}

async fn challenge(app: &TestApp, session: &str) -> reqwest::Response {
    post(
        app,
        "/api/v1/liveness-challenges",
        &json!({ "session": session }),
    )
    .await
}

async fn submit(app: &TestApp, id: &str, frames: &Value) -> reqwest::Response {
    post(
        app,
        &format!("/api/v1/liveness-challenges/{id}/submission"),
        frames,
    )
    .await
}

fn frontal() -> Image {
    render(&Image::load(&qoltanba_fixtures::photo_path()).unwrap(), F)
}

#[tokio::test]
async fn the_challenged_movements_of_the_registry_face_are_verified_once() {
    let app = app().await;
    let session = session(&app).await;
    assert_eq!(selfie(&app, &session, &frontal()).await.status(), 204);
    let issued: LivenessChallenge = challenge(&app, &session).await.json().await.unwrap();
    assert_eq!(issued.actions, ORDER);
    assert_eq!(issued.attempts_left, MAX_FAILURES);

    let frames = frames(&LIVE);
    let response = submit(&app, &issued.id, &frames).await;
    assert_eq!(response.status(), 200);
    let result: LivenessResult = response.json().await.unwrap();
    assert_eq!(
        result.outcome,
        qoltanba_domain::api::IdentityOutcome::Verified
    );
    // The selfie is biometrics: kept sealed (an operator may need it for the
    // document), never in the clear.
    let kept: Vec<u8> = sqlx::query_scalar("SELECT image FROM selfies")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let context = qoltanba_server::face_check::selfie_context(&session);
    assert!(!kept.starts_with(b"data:") && !kept.starts_with(b"/9j/"));
    assert!(app.state.vault.open(&kept, &context).is_ok());

    let (status, error) = error_code(submit(&app, &issued.id, &frames).await).await;
    assert_eq!((status, error.code.as_str()), (409, "challenge_used"));
}

#[tokio::test]
async fn wrong_order_still_frames_and_forged_measurements_fail_and_count() {
    let app = app().await;
    let session = session(&app).await;
    assert_eq!(selfie(&app, &session, &frontal()).await.status(), 204);
    let mut forged = frames(&LIVE);
    forged["frames"][1]["yaw"] = json!(0.9);
    let attempts = [
        frames(&[F, RIGHT, F, LEFT, F, CLOSER]),
        frames(&[F, F, F, F, F, F]),
        forged,
    ];
    for (n, frames) in attempts.iter().enumerate() {
        let issued: LivenessChallenge = challenge(&app, &session).await.json().await.unwrap();
        let (status, error) = error_code(submit(&app, &issued.id, frames).await).await;
        assert_eq!(
            (status, error.code.as_str()),
            (422, "liveness_failed"),
            "attempt {n}"
        );
        assert_eq!(error.attempts_left, Some(MAX_FAILURES - 1 - n as u32));
    }
}

#[tokio::test]
async fn five_failures_lock_the_iin_and_send_to_an_operator() {
    let app = app().await;
    let session = session(&app).await;
    assert_eq!(selfie(&app, &session, &frontal()).await.status(), 204);
    // Asking for a new challenge without answering counts as a failure too.
    for _ in 0..MAX_FAILURES {
        assert_eq!(challenge(&app, &session).await.status(), 201);
    }
    let (status, error) = error_code(challenge(&app, &session).await).await;
    assert_eq!((status, error.code.as_str()), (423, "identity_locked"));
    let retry = error.retry_after_seconds.unwrap();
    assert!((890..=900).contains(&retry), "{retry}");
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM selfies")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(kept, 0, "the failed check's selfie is deleted");
    let (status, _) = error_code(selfie(&app, &session, &frontal()).await).await;
    assert_eq!(status, 423);
}

#[tokio::test]
async fn bad_selfies_and_missing_sessions_are_refused() {
    let app = app().await;
    let session = session(&app).await;
    let (status, error) = error_code(challenge(&app, &session).await).await;
    assert_eq!((status, error.code.as_str()), (409, "selfie_missing"));

    // A selfie left behind by an abandoned check goes once its session is over.
    assert_eq!(selfie(&app, &session, &frontal()).await.status(), 204);
    let long_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
    sqlx::query("UPDATE selfies SET created_at = ?")
        .bind(long_ago)
        .execute(&app.state.db)
        .await
        .unwrap();
    let other = signed_in(&app, "first_head", HEAD, HEAD_PHONE).await;
    assert_eq!(selfie(&app, &other, &frontal()).await.status(), 204);
    qoltanba_server::retention::purge(
        &app.state.db,
        time::OffsetDateTime::now_utc(),
        time::Duration::hours(24),
    )
    .await
    .unwrap();
    let sessions: Vec<String> = sqlx::query_scalar("SELECT session FROM selfies")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(sessions, vec![other]);

    let (status, error) = error_code(selfie(&app, &session, &empty_frame(1)).await).await;
    assert_eq!((status, error.code.as_str()), (422, "selfie_rejected"));
    let garbage = post(
        &app,
        "/api/v1/selfies",
        &json!({ "session": session, "image": "R0lGODlhAQABAAAAACw=" }),
    )
    .await;
    let (status, error) = error_code(garbage).await;
    assert_eq!((status, error.code.as_str()), (422, "bad_picture"));

    let (status, error) = error_code(selfie(&app, "no-such-session", &frontal()).await).await;
    assert_eq!((status, error.code.as_str()), (401, "no_session"));
    let (status, error) =
        error_code(submit(&app, "no-such-challenge", &json!({ "frames": [] })).await).await;
    assert_eq!((status, error.code.as_str()), (404, "not_found"));
}

#[tokio::test]
async fn a_late_answer_is_refused() {
    let app = app().await;
    let session = session(&app).await;
    assert_eq!(selfie(&app, &session, &frontal()).await.status(), 204);
    let issued: LivenessChallenge = challenge(&app, &session).await.json().await.unwrap();
    let long_ago = time::OffsetDateTime::now_utc() - time::Duration::minutes(5);
    sqlx::query("UPDATE liveness_challenges SET issued_at = ?, expires_at = ? WHERE id = ?")
        .bind(long_ago)
        .bind(long_ago + time::Duration::seconds(60))
        .bind(&issued.id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let (status, error) = error_code(submit(&app, &issued.id, &frames(&LIVE)).await).await;
    assert_eq!((status, error.code.as_str()), (410, "challenge_expired"));
}

#[tokio::test]
async fn right_movements_by_someone_else_than_the_registry_photo_fail() {
    let app = app().await;
    // The demo employee whose registry photo is another person's.
    let session = signed_in(&app, "employee", "950630307072", "+77071234500").await;
    assert_eq!(selfie(&app, &session, &frontal()).await.status(), 204);
    let issued: LivenessChallenge = challenge(&app, &session).await.json().await.unwrap();
    let (status, error) = error_code(submit(&app, &issued.id, &frames(&LIVE)).await).await;
    assert_eq!((status, error.code.as_str()), (422, "liveness_failed"));
}
