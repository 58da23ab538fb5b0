//! The operators' video-call queue (step 5 of the guide): applicants wait in order of
//! arrival, an operator answers one, and the server passes the two browsers' WebRTC
//! signalling between their sockets.
//!
//! Calls are ephemeral: they live in this process's memory only and nothing of them
//! is stored — not even that they happened — and no media passes through the server.
//! A restart ends every call.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use qoltanba_domain::api::Language;
use qoltanba_domain::call::{CallError, CallState, EndReason, IceServer, Signal, WaitingCall};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

use crate::operators::Operator;
use crate::secret::{random_hex, random_id};

/// Signals queued for one side's socket. A side that lets this many pile up is not
/// reading them, and is taken for gone.
const QUEUED_SIGNALS: usize = 256;

/// The applicant's page opens its socket as soon as the call is made: a call whose
/// socket has not come by then leaves the queue, so that it holds no one's place.
pub const CONNECT_WITHIN: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallsError {
    #[error("no such call")]
    NotFound,
    #[error("the call's token is missing or is not this call's")]
    Forbidden,
    #[error("the call is open on another connection")]
    InUse,
    #[error(transparent)]
    State(#[from] CallError),
}

/// The two ends of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Party {
    Applicant,
    Operator,
}

impl Party {
    fn other(self) -> Self {
        match self {
            Self::Applicant => Self::Operator,
            Self::Operator => Self::Applicant,
        }
    }
}

/// A new call: the token is handed to the applicant's page once and never kept.
pub struct Created {
    pub id: String,
    pub token: String,
}

struct Call {
    id: String,
    /// Only the token's SHA-256 is kept. Comparing hashes leaks nothing useful through
    /// timing: it tells nothing about a token that would hash to them.
    token_hash: Vec<u8>,
    language: Language,
    created_at: Instant,
    /// `Connected` holds the operator's login; an ended call is removed at once.
    state: CallState,
    /// The applicant's socket, once it has connected.
    applicant: Option<mpsc::Sender<Signal>>,
    /// The answering operator's display name and socket.
    operator: Option<(String, mpsc::Sender<Signal>)>,
}

impl Call {
    fn line(&self, party: Party) -> Option<&mpsc::Sender<Signal>> {
        match party {
            Party::Applicant => self.applicant.as_ref(),
            Party::Operator => self.operator.as_ref().map(|(_, line)| line),
        }
    }

    /// Tells a side, if it is connected. A side whose queue is full or closed misses
    /// the message: it is going away anyway.
    fn tell(&self, party: Party, signal: Signal) {
        if let Some(line) = self.line(party) {
            let _ = line.try_send(signal);
        }
    }

    /// Both sides are connected now: the operator makes the offer on `Joined`.
    fn introduce(&self, ice_servers: &[IceServer]) {
        if let (Some(_), Some((name, _))) = (&self.applicant, &self.operator) {
            self.tell(
                Party::Applicant,
                Signal::Answered {
                    operator: name.clone(),
                },
            );
            self.tell(
                Party::Operator,
                Signal::Joined {
                    language: self.language,
                    ice_servers: ice_servers.to_vec(),
                },
            );
        }
    }
}

/// The queue, with the settings the applicant's page is given.
pub struct Calls {
    /// In order of arrival.
    calls: Mutex<Vec<Call>>,
    /// How long the page waits for an operator before asking whether to go on.
    pub wait_seconds: u32,
    /// STUN/TURN servers for the browsers; none on one machine.
    pub ice_servers: Vec<IceServer>,
}

impl Calls {
    pub fn new(wait_seconds: u32, ice_servers: Vec<IceServer>) -> Self {
        Self {
            calls: Mutex::new(Vec::new()),
            wait_seconds,
            ice_servers,
        }
    }

    /// Nothing under the lock panics, but a socket's clean-up must not either.
    fn lock(&self) -> MutexGuard<'_, Vec<Call>> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a call at the end.
    pub fn create(&self, language: Language, now: Instant) -> Created {
        let mut calls = self.lock();
        sweep(&mut calls, now);
        let id = random_id();
        let token = random_hex(32);
        calls.push(Call {
            id: id.clone(),
            token_hash: Sha256::digest(token.as_bytes()).to_vec(),
            language,
            created_at: now,
            state: CallState::Waiting,
            applicant: None,
            operator: None,
        });
        Created { id, token }
    }

    /// The calls waiting for an operator, first in line first.
    pub fn waiting(&self, now: Instant) -> Vec<WaitingCall> {
        let mut calls = self.lock();
        sweep(&mut calls, now);
        in_line(&calls)
            .zip(1..)
            .map(|(call, position)| WaitingCall {
                id: call.id.clone(),
                language: call.language,
                position,
                waiting_seconds: now.saturating_duration_since(call.created_at).as_secs(),
            })
            .collect()
    }

    /// The applicant's socket, authenticated by the call's token. It hears its place in
    /// the queue at once, or that the call was answered.
    pub fn connect_applicant(
        self: &Arc<Self>,
        id: &str,
        token: Option<&str>,
    ) -> Result<Line, CallsError> {
        let mut calls = self.lock();
        let index = find_own(&calls, id, token)?;
        if calls[index].applicant.is_some() {
            return Err(CallsError::InUse);
        }
        let (sender, signals) = mpsc::channel(QUEUED_SIGNALS);
        calls[index].applicant = Some(sender);
        let call = &calls[index];
        match call.state {
            CallState::Waiting => {
                let position = position_of(&calls, id);
                call.tell(Party::Applicant, Signal::Waiting { position });
            }
            _ => call.introduce(&self.ice_servers),
        }
        Ok(self.line(id, Party::Applicant, signals))
    }

    /// An operator takes the call: once, and only while it waits.
    pub fn answer(self: &Arc<Self>, id: &str, operator: &Operator) -> Result<Line, CallsError> {
        let mut calls = self.lock();
        let index = find(&calls, id)?;
        let call = &mut calls[index];
        call.state = call.state.answer(&operator.login)?;
        let (sender, signals) = mpsc::channel(QUEUED_SIGNALS);
        call.operator = Some((operator.name.clone(), sender));
        call.introduce(&self.ice_servers);
        reposition(&calls);
        Ok(self.line(id, Party::Operator, signals))
    }

    /// The applicant leaves (`DELETE`): out of the queue, or the call ends if it was
    /// answered.
    pub fn leave(&self, id: &str, token: Option<&str>) -> Result<(), CallsError> {
        let mut calls = self.lock();
        let index = find_own(&calls, id, token)?;
        end(&mut calls, index, Party::Applicant, EndReason::HungUp);
        Ok(())
    }

    /// The call's language, if this operator is on it now.
    pub fn on_call(&self, id: &str, login: &str) -> Option<Language> {
        let calls = self.lock();
        let call = &calls[find(&calls, id).ok()?];
        match &call.state {
            CallState::Connected { operator } if operator == login => Some(call.language),
            _ => None,
        }
    }

    fn line(self: &Arc<Self>, id: &str, party: Party, signals: mpsc::Receiver<Signal>) -> Line {
        Line {
            calls: self.clone(),
            id: id.to_owned(),
            party,
            signals,
        }
    }

    fn ended_by(&self, id: &str, party: Party, how: EndReason) {
        let mut calls = self.lock();
        if let Ok(index) = find(&calls, id) {
            end(&mut calls, index, party, how);
        }
    }

    fn relay(&self, id: &str, from: Party, signal: Signal) {
        let mut calls = self.lock();
        let Ok(index) = find(&calls, id) else {
            return;
        };
        let to = from.other();
        let call = &calls[index];
        // Before both are connected there is nobody to relay to.
        let Some(line) = call.line(to).filter(|_| call.line(from).is_some()) else {
            return;
        };
        if let Err(TrySendError::Full(_)) = line.try_send(signal) {
            end(&mut calls, index, to, EndReason::Dropped);
        }
    }
}

/// One side's connection to a call: what the server sends it comes out of `next`.
/// Dropping it — its socket closed, or never opened — ends the call as dropped,
/// unless it was ended already.
pub struct Line {
    calls: Arc<Calls>,
    id: String,
    party: Party,
    signals: mpsc::Receiver<Signal>,
}

impl Line {
    /// The next signal for this side; `None` once the call is over.
    pub async fn next(&mut self) -> Option<Signal> {
        self.signals.recv().await
    }

    /// What this side's browser sent: `HangUp` ends the call, `Offer`, `Answer` and
    /// `Candidate` go to the other side, anything else is ignored.
    pub fn from_browser(&self, signal: Signal) {
        if signal == Signal::HangUp {
            self.calls.ended_by(&self.id, self.party, EndReason::HungUp);
        } else if signal.is_relayed() {
            self.calls.relay(&self.id, self.party, signal);
        }
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        self.calls
            .ended_by(&self.id, self.party, EndReason::Dropped);
    }
}

fn find(calls: &[Call], id: &str) -> Result<usize, CallsError> {
    calls
        .iter()
        .position(|call| call.id == id)
        .ok_or(CallsError::NotFound)
}

/// The call, if the token is its own.
fn find_own(calls: &[Call], id: &str, token: Option<&str>) -> Result<usize, CallsError> {
    let index = find(calls, id)?;
    match token {
        Some(token) if Sha256::digest(token.as_bytes()).as_slice() == calls[index].token_hash => {
            Ok(index)
        }
        _ => Err(CallsError::Forbidden),
    }
}

fn in_line(calls: &[Call]) -> impl Iterator<Item = &Call> {
    calls.iter().filter(|call| call.state == CallState::Waiting)
}

fn position_of(calls: &[Call], id: &str) -> u32 {
    (1..)
        .zip(in_line(calls))
        .find(|(_, call)| call.id == id)
        .map_or(0, |(position, _)| position)
}

/// Tells every waiting applicant his place, after the queue changed.
fn reposition(calls: &[Call]) {
    for (position, call) in (1..).zip(in_line(calls)) {
        call.tell(Party::Applicant, Signal::Waiting { position });
    }
}

/// Ends the call at `index` as `by` did it (`HungUp` or `Dropped`), tells the other side,
/// and removes it; dropping its senders closes both sockets.
fn end(calls: &mut Vec<Call>, index: usize, by: Party, how: EndReason) {
    let call = calls.remove(index);
    match call.state {
        // Only the applicant is on a waiting call: he left (his page is told, in case
        // it is still open, e.g. when he left with `DELETE`).
        CallState::Waiting => {
            call.tell(
                Party::Applicant,
                Signal::Ended {
                    reason: EndReason::Left,
                },
            );
            reposition(calls);
        }
        _ => {
            call.tell(by.other(), Signal::Ended { reason: how });
        }
    }
}

/// Drops the calls whose applicant never connected in time.
fn sweep(calls: &mut Vec<Call>, now: Instant) {
    let before = calls.len();
    calls.retain(|call| {
        call.applicant.is_some() || now.saturating_duration_since(call.created_at) < CONNECT_WITHIN
    });
    if calls.len() != before {
        reposition(calls);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operator(login: &str) -> Operator {
        Operator {
            login: login.to_owned(),
            name: format!("Оператор {login}"),
        }
    }

    fn drain(line: &mut Line) -> Vec<Signal> {
        std::iter::from_fn(|| line.signals.try_recv().ok()).collect()
    }

    #[test]
    fn positions_follow_the_queue_and_a_call_is_answered_once() {
        let stun = vec![IceServer {
            urls: "stun:stun.example.kz:3478".to_owned(),
            username: None,
            credential: None,
        }];
        let calls = Arc::new(Calls::new(300, stun.clone()));
        let now = Instant::now();
        let a = calls.create(Language::Ru, now);
        let b = calls.create(Language::Kk, now);
        let mut line_a = calls.connect_applicant(&a.id, Some(&a.token)).unwrap();
        let mut line_b = calls.connect_applicant(&b.id, Some(&b.token)).unwrap();
        assert_eq!(drain(&mut line_a), [Signal::Waiting { position: 1 }]);
        assert_eq!(drain(&mut line_b), [Signal::Waiting { position: 2 }]);
        assert_eq!(
            calls.connect_applicant(&a.id, Some(&a.token)).err(),
            Some(CallsError::InUse)
        );
        assert_eq!(
            calls.connect_applicant(&a.id, Some(&b.token)).err(),
            Some(CallsError::Forbidden)
        );

        let mut op = calls.answer(&a.id, &operator("op1")).unwrap();
        assert_eq!(
            calls.answer(&a.id, &operator("op2")).err(),
            Some(CallsError::State(CallError::Taken))
        );
        assert_eq!(calls.on_call(&a.id, "op1"), Some(Language::Ru));
        assert_eq!(calls.on_call(&a.id, "op2"), None);
        assert_eq!(
            drain(&mut line_a),
            [Signal::Answered {
                operator: "Оператор op1".into()
            }]
        );
        assert_eq!(
            drain(&mut op),
            [Signal::Joined {
                language: Language::Ru,
                ice_servers: stun
            }]
        );
        assert_eq!(drain(&mut line_b), [Signal::Waiting { position: 1 }]);
        assert_eq!(calls.waiting(now).len(), 1);
    }

    #[test]
    fn a_dropped_side_ends_the_call_for_the_other() {
        let calls = Arc::new(Calls::new(300, Vec::new()));
        let a = calls.create(Language::En, Instant::now());
        let line_a = calls.connect_applicant(&a.id, Some(&a.token)).unwrap();
        let mut op = calls.answer(&a.id, &operator("op1")).unwrap();
        drain(&mut op);
        drop(line_a);
        assert_eq!(
            drain(&mut op),
            [Signal::Ended {
                reason: EndReason::Dropped
            }]
        );
        assert!(calls.lock().is_empty());
    }

    #[test]
    fn a_call_whose_socket_never_came_leaves_the_queue() {
        let calls = Arc::new(Calls::new(300, Vec::new()));
        let now = Instant::now();
        let ghost = calls.create(Language::Ru, now);
        let b = calls.create(Language::Ru, now);
        let mut line_b = calls.connect_applicant(&b.id, Some(&b.token)).unwrap();
        assert_eq!(drain(&mut line_b), [Signal::Waiting { position: 2 }]);
        let later = now + CONNECT_WITHIN;
        let queue = calls.waiting(later);
        assert_eq!(queue.len(), 1);
        assert_eq!(
            (queue[0].id.as_str(), queue[0].position),
            (b.id.as_str(), 1)
        );
        assert_eq!(drain(&mut line_b), [Signal::Waiting { position: 1 }]);
        assert_eq!(
            calls.connect_applicant(&ghost.id, Some(&ghost.token)).err(),
            Some(CallsError::NotFound)
        );
    }

    #[test]
    fn a_side_that_does_not_read_is_taken_for_gone() {
        let calls = Arc::new(Calls::new(300, Vec::new()));
        let a = calls.create(Language::Ru, Instant::now());
        let mut line_a = calls.connect_applicant(&a.id, Some(&a.token)).unwrap();
        let op = calls.answer(&a.id, &operator("op1")).unwrap();
        drain(&mut line_a);
        for n in 0..QUEUED_SIGNALS {
            op.from_browser(Signal::Offer { sdp: n.to_string() });
        }
        // The applicant's page has read nothing since: its queue is full.
        assert!(calls.on_call(&a.id, "op1").is_some());
        op.from_browser(Signal::Offer {
            sdp: "one too many".into(),
        });
        assert!(calls.lock().is_empty());
    }
}
