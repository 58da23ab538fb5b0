//! `/v1/liveness-challenges`: the video identification of steps 12–13 of the guide.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use qoltanba_domain::api::{
    LivenessChallenge, LivenessChallengeRequest, LivenessResult, LivenessSubmission,
};
use time::OffsetDateTime;

use crate::error::{ApiError, ApiJson};
use crate::state::AppState;

/// A fresh challenge: the movements to make, in order, before the deadline.
#[utoipa::path(post, path = "/v1/liveness-challenges", request_body = LivenessChallengeRequest,
    responses((status = 201, body = LivenessChallenge), (status = 401), (status = 409),
              (status = 423)))]
pub async fn issue(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<LivenessChallengeRequest>,
) -> Result<(StatusCode, Json<LivenessChallenge>), ApiError> {
    let issued = state
        .face_checks
        .issue(&request.session, OffsetDateTime::now_utc())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(LivenessChallenge {
            id: issued.id,
            actions: issued.actions,
            deadline_seconds: issued.deadline_seconds,
            attempts_left: issued.attempts_left,
        }),
    ))
}

/// The frames where the page saw each movement; the server checks them again and
/// compares the face with the registry photo. Answered once per challenge.
#[utoipa::path(post, path = "/v1/liveness-challenges/{id}/submission",
    request_body = LivenessSubmission,
    params(("id" = String, Path, description = "The challenge's id")),
    responses((status = 200, body = LivenessResult), (status = 404), (status = 409),
              (status = 410), (status = 413), (status = 422), (status = 423)))]
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(submission): ApiJson<LivenessSubmission>,
) -> Result<Json<LivenessResult>, ApiError> {
    let outcome = state
        .face_checks
        .submit(&id, submission.frames, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(LivenessResult { outcome }))
}
