//! The video-liveness challenge: which movements the server may ask for, and the rules
//! of a challenge that both the page and the server must agree on.

use serde::{Deserialize, Serialize};

/// A movement the user is asked to make. Directions are the user's own, in unmirrored
/// camera coordinates: "turn left" is a turn to the person's own left, whatever way
/// the preview is mirrored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    TurnLeft,
    TurnRight,
    MoveCloser,
    Blink,
}

impl Action {
    pub const ALL: [Action; 4] = [
        Action::TurnLeft,
        Action::TurnRight,
        Action::MoveCloser,
        Action::Blink,
    ];
}

/// Fewer actions could be passed by a recorded video by chance; more tire people.
pub const CHALLENGE_ACTIONS: usize = 3;
/// Time to do every action, from the moment the challenge is issued.
pub const CHALLENGE_SECONDS: u32 = 60;
/// Failed challenges before the applicant is sent to an operator.
pub const MAX_FAILURES: u32 = 5;
/// How long a failed identification locks the IIN.
pub const LOCK_MINUTES: i64 = 15;
/// Frames a submission may carry: one baseline, then a peak and a return per action.
pub const MAX_FRAMES: usize = 1 + 2 * Action::ALL.len();

/// A valid challenge: at least `CHALLENGE_ACTIONS` actions, none repeated back to back
/// (a repeated turn could be made once and counted twice).
pub fn is_valid_challenge(actions: &[Action]) -> bool {
    actions.len() >= CHALLENGE_ACTIONS && actions.windows(2).all(|pair| pair[0] != pair[1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    #[test]
    fn actions_have_stable_names() {
        let json = serde_json::to_string(&[TurnLeft, TurnRight, MoveCloser, Blink]).unwrap();
        assert_eq!(json, r#"["turn_left","turn_right","move_closer","blink"]"#);
    }

    #[test]
    fn a_challenge_has_three_different_consecutive_actions() {
        assert!(is_valid_challenge(&[TurnLeft, TurnRight, MoveCloser]));
        assert!(is_valid_challenge(&[Blink, TurnLeft, Blink, TurnRight]));
        assert!(!is_valid_challenge(&[TurnLeft, TurnRight]));
        assert!(!is_valid_challenge(&[TurnLeft, TurnLeft, MoveCloser]));
    }
}
