//! The face check (steps 10–13 of the guide), on the server's side: the selfie, fresh
//! single-use liveness challenges, the re-check of the frames the page sends, and the
//! failure count that sends the applicant to an operator and locks the IIN.

use std::sync::Arc;

use qoltanba_domain::api::{IdentityOutcome, LivenessFrame};
use qoltanba_domain::liveness::{
    Action, CHALLENGE_ACTIONS, CHALLENGE_SECONDS, LOCK_MINUTES, MAX_FAILURES, MAX_FRAMES,
};
use qoltanba_domain::Iin;
use qoltanba_face::embedding::{verdict, Verdict};
use qoltanba_face::guidance::LIMITS;
use qoltanba_face::liveness::{Liveness, Measurement, Progress, KEY_FRAMES};
use qoltanba_face::{Face, FaceError};
use rand::seq::SliceRandom;
use sqlx::{Row, SqlitePool};
use time::{Duration, OffsetDateTime};

use crate::biometrics::{FaceModels, LazyModels, ModelError, Picture, PictureError};
use crate::iin_locks;
use crate::phone_check::{self, Purpose};
use crate::registries::{IndividualsRegistry, RegistryError};
use crate::vault::Vault;

/// How long a verified phone check stands for the applicant.
pub const SESSION_MINUTES: i64 = 60;
/// Upload time allowed after the deadline: the frames were taken before it.
pub const SUBMIT_GRACE_SECONDS: i64 = 15;
/// The page's clock may run a little ahead of ours between issue and submission.
const CLOCK_SLACK_MS: f64 = 3_000.0;
/// How far the page's measurements may differ from ours on the same (JPEG) frame.
const YAW_TOLERANCE: f32 = 0.15;
const WIDTH_TOLERANCE: f32 = 0.15;
/// The liveness frames must show the selfie's face: same layout of eyes, nose and
/// mouth (relative to the face width), about the same size and place in the frame.
const LAYOUT_TOLERANCE: f32 = 0.12;
/// Frame face width over the selfie's: "move closer" reaches about 1.9.
const SIZE_RATIO: (f32, f32) = (0.6, 2.4);
/// Distance of the face centres, in selfie face widths.
const PLACE_TOLERANCE: f32 = 0.6;

/// Picks the actions of a challenge: behind a trait so tests can fix the order (and
/// shorten the wait for a challenge that is meant to time out).
pub trait ChallengeSource: Send + Sync {
    fn actions(&self) -> Vec<Action>;

    fn deadline_seconds(&self) -> u32 {
        CHALLENGE_SECONDS
    }
}

/// A random order of distinct actions.
pub struct RandomChallenges;

impl ChallengeSource for RandomChallenges {
    fn actions(&self) -> Vec<Action> {
        let mut actions = Action::ALL.to_vec();
        actions.shuffle(&mut rand::thread_rng());
        actions.truncate(CHALLENGE_ACTIONS);
        actions
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FaceCheckError {
    #[error("no verified phone check with this id, or it is too old")]
    NoSession,
    #[error("the picture: {0}")]
    Picture(#[from] PictureError),
    #[error("the selfie must show one face, large and centred")]
    SelfieRejected,
    #[error("take the selfie first")]
    SelfieMissing,
    #[error("no such challenge")]
    NotFound,
    #[error("this challenge was already answered")]
    ChallengeUsed,
    #[error("this challenge has expired")]
    ChallengeExpired,
    #[error("the liveness check failed: {reason}")]
    Failed {
        reason: &'static str,
        attempts_left: u32,
    },
    #[error("too many failed face checks")]
    Locked { until: OffsetDateTime },
    #[error("the face models failed: {0}")]
    Model(#[from] FaceError),
    #[error(transparent)]
    Models(#[from] ModelError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub struct Issued {
    pub id: String,
    pub actions: Vec<Action>,
    pub deadline_seconds: u32,
    pub attempts_left: u32,
}

/// A submission that reached the check: where the challenge came from and the frames.
struct Challenge {
    session: String,
    iin: Iin,
    actions: Vec<Action>,
    issued_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

pub struct FaceChecks {
    db: SqlitePool,
    models: LazyModels,
    individuals: Arc<dyn IndividualsRegistry>,
    challenges: Arc<dyn ChallengeSource>,
    vault: Vault,
}

impl FaceChecks {
    pub fn new(
        db: SqlitePool,
        models: LazyModels,
        individuals: Arc<dyn IndividualsRegistry>,
        challenges: Arc<dyn ChallengeSource>,
        vault: Vault,
    ) -> Self {
        Self {
            db,
            models,
            vault,
            individuals,
            challenges,
        }
    }

    /// The applicant behind a Digital ID session (a verified sign-in).
    pub async fn session(&self, id: &str, now: OffsetDateTime) -> Result<Iin, FaceCheckError> {
        phone_check::verified(&self.db, id, Purpose::DigitalId, now)
            .await?
            .map(|session| session.iin)
            .ok_or(FaceCheckError::NoSession)
    }

    /// Until when the IIN is locked, if it is.
    async fn lock_of(&self, iin: &Iin, now: OffsetDateTime) -> Result<(), FaceCheckError> {
        match iin_locks::until(&self.db, iin, now).await? {
            Some(until) => Err(FaceCheckError::Locked { until }),
            None => Ok(()),
        }
    }

    /// Checks the selfie (one face, large and centred enough) and keeps it for the
    /// liveness check, replacing an earlier one.
    pub async fn store_selfie(
        &self,
        session: &str,
        image: &str,
        now: OffsetDateTime,
    ) -> Result<(), FaceCheckError> {
        let iin = self.session(session, now).await?;
        self.lock_of(&iin, now).await?;
        let picture = Picture::from_base64(image)?;
        let models = self.models.get().await?;
        let (faces, picture) = tokio::task::spawn_blocking(move || {
            models
                .measure(&picture, 0.0)
                .map(|(faces, _)| (faces, picture))
        })
        .await
        .expect("the face models do not panic")?;
        let [face] = faces.as_slice() else {
            return Err(FaceCheckError::SelfieRejected);
        };
        if !selfie_is_usable(face, picture.width, picture.height) {
            return Err(FaceCheckError::SelfieRejected);
        }
        sqlx::query(
            "INSERT INTO selfies (session, iin, image, face, created_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (session) DO UPDATE SET image = excluded.image, face = excluded.face,
                 created_at = excluded.created_at",
        )
        .bind(session)
        .bind(iin.as_str())
        .bind(self.vault.seal(image.as_bytes(), &selfie_context(session)))
        .bind(serde_json::to_string(face).expect("faces serialise"))
        .bind(now)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// A fresh challenge. An earlier one left unanswered counts as failed, so asking
    /// again and again is no way around the failure limit.
    pub async fn issue(
        &self,
        session: &str,
        now: OffsetDateTime,
    ) -> Result<Issued, FaceCheckError> {
        let iin = self.session(session, now).await?;
        self.lock_of(&iin, now).await?;
        sqlx::query("SELECT 1 FROM selfies WHERE session = ?")
            .bind(session)
            .fetch_optional(&self.db)
            .await?
            .ok_or(FaceCheckError::SelfieMissing)?;
        sqlx::query(
            "UPDATE liveness_challenges SET status = 'failed', finished_at = ?
             WHERE iin = ? AND status = 'issued'",
        )
        .bind(now)
        .bind(iin.as_str())
        .execute(&self.db)
        .await?;
        let failures = self.failures(&iin).await?;
        if failures >= MAX_FAILURES {
            return Err(self.lock(&iin, now).await?);
        }
        let actions = self.challenges.actions();
        let deadline_seconds = self.challenges.deadline_seconds();
        let id = crate::secret::random_id();
        sqlx::query(
            "INSERT INTO liveness_challenges (id, session, iin, actions, issued_at, expires_at, status)
             VALUES (?, ?, ?, ?, ?, ?, 'issued')",
        )
        .bind(&id)
        .bind(session)
        .bind(iin.as_str())
        .bind(serde_json::to_string(&actions).expect("actions serialise"))
        .bind(now)
        .bind(now + Duration::seconds(deadline_seconds.into()))
        .execute(&self.db)
        .await?;
        Ok(Issued {
            id,
            actions,
            deadline_seconds,
            attempts_left: MAX_FAILURES - failures,
        })
    }

    async fn failures(&self, iin: &Iin) -> Result<u32, sqlx::Error> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM liveness_challenges WHERE iin = ? AND status = 'failed'",
        )
        .bind(iin.as_str())
        .fetch_one(&self.db)
        .await?;
        Ok(count as u32)
    }

    /// Locks the IIN for `LOCK_MINUTES`; the failures that caused it are then forgiven
    /// and the selfie deleted.
    async fn lock(&self, iin: &Iin, now: OffsetDateTime) -> Result<FaceCheckError, sqlx::Error> {
        let until = now + Duration::minutes(LOCK_MINUTES);
        let mut tx = self.db.begin().await?;
        iin_locks::impose(&mut *tx, iin, until, "face_check").await?;
        sqlx::query("UPDATE liveness_challenges SET status = 'forgiven' WHERE iin = ? AND status = 'failed'")
            .bind(iin.as_str())
            .execute(&mut *tx)
            .await?;
        // The failed check is over: after the lock it starts again with a new selfie.
        // (A selfie an operator still has to see, with a submitted document, stays.)
        sqlx::query(
            "DELETE FROM selfies WHERE iin = ? AND session NOT IN (SELECT session FROM documents)",
        )
        .bind(iin.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(FaceCheckError::Locked { until })
    }

    /// Takes the challenge out of play (exactly once), or says why it cannot be answered.
    async fn claim(&self, id: &str, now: OffsetDateTime) -> Result<Challenge, FaceCheckError> {
        let row = sqlx::query(
            "SELECT session, iin, actions, issued_at, expires_at, status FROM liveness_challenges WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.db)
        .await?
        .ok_or(FaceCheckError::NotFound)?;
        let claimed = sqlx::query(
            "UPDATE liveness_challenges SET status = 'checking' WHERE id = ? AND status = 'issued'",
        )
        .bind(id)
        .execute(&self.db)
        .await?;
        if claimed.rows_affected() != 1 {
            return Err(FaceCheckError::ChallengeUsed);
        }
        let challenge = Challenge {
            session: row.get("session"),
            iin: Iin::parse(row.get::<&str, _>("iin")).map_err(|_| FaceCheckError::NotFound)?,
            actions: serde_json::from_str(row.get("actions"))
                .map_err(|_| FaceCheckError::NotFound)?,
            issued_at: row.get("issued_at"),
            expires_at: row.get("expires_at"),
        };
        if now > challenge.expires_at + Duration::seconds(SUBMIT_GRACE_SECONDS) {
            self.finish(id, &challenge.iin, None, now).await?;
            return Err(FaceCheckError::ChallengeExpired);
        }
        Ok(challenge)
    }

    async fn finish(
        &self,
        id: &str,
        iin: &Iin,
        outcome: Option<IdentityOutcome>,
        now: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        let (status, outcome) = match outcome {
            Some(IdentityOutcome::Verified) => ("passed", Some("verified")),
            Some(IdentityOutcome::Moderation) => ("passed", Some("moderation")),
            None => ("failed", None),
        };
        sqlx::query("UPDATE liveness_challenges SET status = ?, outcome = ?, finished_at = ? WHERE id = ? AND iin = ?")
            .bind(status)
            .bind(outcome)
            .bind(now)
            .bind(id)
            .bind(iin.as_str())
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// Re-checks the frames of a challenge, then compares the face with the registry
    /// photo. Passing ends the face check: the selfie is deleted unless an operator
    /// still has to look at it.
    pub async fn submit(
        &self,
        id: &str,
        frames: Vec<LivenessFrame>,
        now: OffsetDateTime,
    ) -> Result<IdentityOutcome, FaceCheckError> {
        let challenge = self.claim(id, now).await?;
        let selfie = sqlx::query("SELECT image, face FROM selfies WHERE session = ?")
            .bind(&challenge.session)
            .fetch_optional(&self.db)
            .await?
            .and_then(|row| {
                let image = self
                    .vault
                    .open(row.get("image"), &selfie_context(&challenge.session))
                    .ok()?;
                Some(Selfie {
                    image: String::from_utf8_lossy(&image).into_owned(),
                    face: serde_json::from_str(row.get("face")).ok(),
                })
            });
        let reference = self.individuals.reference_photo(&challenge.iin).await?;
        let latest_ms = {
            let elapsed = (now - challenge.issued_at).as_seconds_f64() * 1000.0;
            let deadline = (challenge.expires_at - challenge.issued_at).as_seconds_f64() * 1000.0;
            deadline.min(elapsed + CLOCK_SLACK_MS)
        };
        let models = self.models.get().await?;
        let actions = challenge.actions.clone();
        let verdict = tokio::task::spawn_blocking(move || {
            let selfie = selfie.ok_or("no selfie")?;
            let reference = reference.ok_or("no registry photo")?;
            let seen = measure_frames(&models, &frames)?;
            let selfie_face = selfie.face.ok_or("no selfie face")?;
            check_frames(&actions, latest_ms, &selfie_face, &frames, &seen)?;
            identify(&models, &selfie.image, &selfie_face, &seen[0].0, &reference)
        })
        .await
        .expect("the face check does not panic");
        match verdict {
            Ok(outcome) => {
                // The selfie stays until the document is decided (an operator may
                // need it); `retention` deletes it then.
                self.finish(id, &challenge.iin, Some(outcome), now).await?;
                Ok(outcome)
            }
            Err(reason) => {
                tracing::info!(challenge = id, reason, "face check failed");
                self.finish(id, &challenge.iin, None, now).await?;
                let failures = self.failures(&challenge.iin).await?;
                if failures >= MAX_FAILURES {
                    return Err(self.lock(&challenge.iin, now).await?);
                }
                Err(FaceCheckError::Failed {
                    reason,
                    attempts_left: MAX_FAILURES - failures,
                })
            }
        }
    }
}

/// What a sealed selfie is bound to.
pub fn selfie_context(session: &str) -> String {
    format!("selfie:{session}")
}

struct Selfie {
    /// Base64 JPEG, as the page sent it.
    image: String,
    face: Option<Face>,
}

/// Who is in front of the camera: the liveness face must be the selfie's (clearly),
/// and the selfie is compared with the registry photo: a clear match passes, a clear
/// mismatch fails, anything between goes to an operator.
fn identify(
    models: &FaceModels,
    selfie_image: &str,
    selfie_face: &Face,
    baseline: &Picture,
    reference: &[u8],
) -> Result<IdentityOutcome, &'static str> {
    let describe = |picture: &Picture, face: &Face| {
        models
            .describe(picture, face)
            .map_err(|_| "the models failed on a face")
    };
    let selfie_picture =
        Picture::from_base64(selfie_image).map_err(|_| "the selfie is unreadable")?;
    let selfie = describe(&selfie_picture, selfie_face)?;
    // Short range only: a face only the far detector finds is too small to compare.
    let live_faces = models
        .detect(baseline)
        .map_err(|_| "the models failed on a frame")?;
    let [live_face] = live_faces.as_slice() else {
        return Err("not exactly one face in a frame");
    };
    if verdict(selfie.distance(&describe(baseline, live_face)?)) != Verdict::Match {
        return Err("the liveness face is not the selfie's");
    }
    let reference_picture =
        Picture::from_bytes(reference).map_err(|_| "the registry photo is unreadable")?;
    let reference_faces = models
        .detect(&reference_picture)
        .map_err(|_| "the models failed on the registry photo")?;
    let [reference_face] = reference_faces.as_slice() else {
        // A registry photo the detector cannot read is for a person to judge.
        return Ok(IdentityOutcome::Moderation);
    };
    match verdict(selfie.distance(&describe(&reference_picture, reference_face)?)) {
        Verdict::Match => Ok(IdentityOutcome::Verified),
        Verdict::Moderation => Ok(IdentityOutcome::Moderation),
        Verdict::Mismatch => Err("not the person of the registry photo"),
    }
}

/// One face, big enough and near the centre: looser than the page's guidance, which
/// asks for more so that people end up well inside these bounds.
fn selfie_is_usable(face: &Face, width: usize, height: usize) -> bool {
    let share = face.bounds.width / width as f32;
    let centre = face.bounds.center();
    let offset =
        (centre.x - width as f32 / 2.0).hypot(centre.y - height as f32 / 2.0) / width as f32;
    (LIMITS.min_width * 0.8..=LIMITS.max_width * 1.2).contains(&share)
        && offset <= LIMITS.max_offset * 2.0
}

/// Each frame decoded once, with what our detector sees in it: faces and measurement.
type Seen = Vec<(Picture, Vec<Face>, Option<Measurement>)>;

fn measure_frames(models: &FaceModels, frames: &[LivenessFrame]) -> Result<Seen, &'static str> {
    if frames.len() < 2 || frames.len() > MAX_FRAMES {
        return Err("wrong number of frames");
    }
    frames
        .iter()
        .map(|frame| {
            let picture =
                Picture::from_base64(&frame.image).map_err(|_| "a frame is not a picture")?;
            let (faces, measured) = models
                .measure(&picture, frame.at_ms)
                .map_err(|_| "the models failed on a frame")?;
            Ok((picture, faces, measured))
        })
        .collect()
}

/// The rules a submission must meet, on what our own detector saw. `latest_ms` is
/// the last moment a frame may claim: the deadline, or now if that is sooner.
fn check_frames(
    actions: &[Action],
    latest_ms: f64,
    selfie: &Face,
    frames: &[LivenessFrame],
    seen: &Seen,
) -> Result<(), &'static str> {
    let times: Vec<f64> = frames.iter().map(|f| f.at_ms).collect();
    if times.windows(2).any(|pair| pair[1] <= pair[0]) || times[0] < 0.0 {
        return Err("frame times go backwards");
    }
    if times[times.len() - 1] > latest_ms {
        return Err("frames after the deadline");
    }
    let mut check = Liveness::new(actions.to_vec(), latest_ms, KEY_FRAMES);
    for (frame, (_, faces, measured)) in frames.iter().zip(seen) {
        let [face] = faces.as_slice() else {
            return Err("not exactly one face in a frame");
        };
        let measured = measured.ok_or("no measurement")?;
        if (measured.yaw - frame.yaw).abs() > YAW_TOLERANCE
            || (measured.face_width / frame.face_width - 1.0).abs() > WIDTH_TOLERANCE
        {
            return Err("the page's measurements do not match the frame");
        }
        if !same_face(selfie, face) {
            return Err("a frame shows another face than the selfie");
        }
        check.observe(measured);
    }
    match check.progress() {
        Progress::Passed => Ok(()),
        Progress::Failed(_) => Err("the movements were wrong"),
        _ => Err("not every movement was made"),
    }
}

/// The same face as the selfie: eyes, nose and mouth laid out alike (relative to the
/// box), and about the same size. Turned or closer frames differ in layout, so only
/// the frontal ones are compared in layout; every one in place and size.
fn same_face(selfie: &Face, frame: &Face) -> bool {
    let ratio = frame.bounds.width / selfie.bounds.width;
    let (a, b) = (selfie.bounds.center(), frame.bounds.center());
    let moved = (a.x - b.x).hypot(a.y - b.y) / selfie.bounds.width;
    let in_place = (SIZE_RATIO.0..=SIZE_RATIO.1).contains(&ratio) && moved <= PLACE_TOLERANCE;
    let frontal = qoltanba_face::pose::yaw(frame).abs() < KEY_FRAMES.neutral_yaw
        && ratio < KEY_FRAMES.neutral_ratio;
    in_place && (!frontal || layout_distance(selfie, frame) <= LAYOUT_TOLERANCE)
}

/// Mean distance between the keypoints of two faces, each relative to its own box.
fn layout_distance(a: &Face, b: &Face) -> f32 {
    let relative = |face: &Face, i: usize| {
        let p = face.keypoints[i];
        (
            (p.x - face.bounds.x) / face.bounds.width,
            (p.y - face.bounds.y) / face.bounds.height,
        )
    };
    (0..4)
        .map(|i| {
            let ((ax, ay), (bx, by)) = (relative(a, i), relative(b, i));
            (ax - bx).hypot(ay - by)
        })
        .sum::<f32>()
        / 4.0
}
