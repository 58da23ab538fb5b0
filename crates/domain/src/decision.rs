//! The first head's decision on an application, in the one text his browser signs and
//! the server verifies: every field named, one per line, so that a signature over one
//! decision can never pass for another (another application, another verdict, another
//! reason, other keys).

use serde::{Deserialize, Serialize};

use crate::{ApplicationNumber, Template};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Confirm,
    Reject,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Reject => "reject",
        }
    }
}

/// What is decided on: the application, and the fingerprints of the very requests the
/// certificates will certify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<'a> {
    pub number: &'a ApplicationNumber,
    pub bin: &'a str,
    pub iin: &'a str,
    pub template: Template,
    pub authentication_request: &'a str,
    pub signing_request: &'a str,
    pub verdict: Verdict,
    pub reason: Option<&'a str>,
}

impl Decision<'_> {
    pub fn canonical(&self) -> String {
        // A reason is one line: line breaks could forge fields after it.
        let reason = self.reason.unwrap_or("").replace(['\r', '\n'], " ");
        format!(
            "qoltanba:decision\nnumber:{}\nbin:{}\niin:{}\ntemplate:{}\n\
             authentication_request:{}\nsigning_request:{}\nverdict:{}\nreason:{}\n",
            self.number,
            self.bin,
            self.iin,
            self.template.code(),
            self.authentication_request,
            self.signing_request,
            self.verdict.code(),
            reason,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_in_the_signed_text() {
        let number = ApplicationNumber::parse("27888601100404").unwrap();
        let decision = Decision {
            number: &number,
            bin: "150340001236",
            iin: "920724405673",
            template: Template::Employee,
            authentication_request: "aa",
            signing_request: "bb",
            verdict: Verdict::Reject,
            reason: Some("Не работает\nverdict:confirm"),
        };
        let text = decision.canonical();
        assert_eq!(
            text,
            "qoltanba:decision\nnumber:27888601100404\nbin:150340001236\niin:920724405673\n\
             template:employee\nauthentication_request:aa\nsigning_request:bb\n\
             verdict:reject\nreason:Не работает verdict:confirm\n"
        );
        let confirm = Decision {
            verdict: Verdict::Confirm,
            reason: None,
            ..decision
        };
        assert!(confirm.canonical().ends_with("verdict:confirm\nreason:\n"));
    }
}
