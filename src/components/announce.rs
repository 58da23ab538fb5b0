//! What screen readers hear of things that change on their own: countdowns and the camera's
//! guidance. Each goes through a visually hidden polite live region of its own, fed
//! sparingly — a countdown when it starts and at a few marks, never every second; a
//! guidance message once it has held for a moment, never every frame — while the
//! visible text beside it is not live.

use std::time::Duration;

use leptos::prelude::*;

/// Live regions are read when their content changes after they are in the page: the
/// first words wait this long.
const SETTLE: Duration = Duration::from_millis(600);

/// Announces a countdown politely: when it starts (or starts again), and when it
/// reaches each of `marks` seconds; `words` says a number of seconds.
#[component]
pub fn CountdownAnnouncer<W, V>(
    /// The seconds left; `None` while nothing is counted down.
    #[prop(into)]
    seconds: Signal<Option<u32>>,
    /// Besides its start, the countdown is read when it reaches each of these.
    marks: &'static [u32],
    words: W,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView
where
    W: Fn(u32) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Which stretch between marks the countdown is in: changes only at a mark.
    let stretch = Memo::new(move |_| {
        seconds
            .get()
            .map(|left| marks.iter().filter(|&&mark| left <= mark).count())
    });
    let spoken = RwSignal::new(None::<u32>);
    Effect::new(move |_| match stretch.get() {
        None => spoken.set(None),
        Some(_) => {
            let left = seconds.get_untracked();
            set_timeout(
                move || {
                    let _ = spoken.try_set(left);
                },
                SETTLE,
            );
        }
    });
    view! {
        <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" id=id>
            {move || spoken.get().map(&words)}
        </p>
    }
}

/// Announces `message` politely once it has stayed the same for a moment, and only when
/// it differs from what was last read: guidance that flickers between frames is not.
#[component]
pub fn SettledAnnouncer(
    #[prop(into)] message: Signal<String>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let spoken = RwSignal::new(String::new());
    Effect::new(move |_| {
        let wanted = message.get();
        set_timeout(
            move || {
                let still = message.try_get_untracked().is_some_and(|now| now == wanted);
                let new = spoken
                    .try_get_untracked()
                    .is_some_and(|said| said != wanted);
                if still && new {
                    let _ = spoken.try_set(wanted);
                }
            },
            SETTLE,
        );
    });
    view! {
        <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" id=id>
            {move || spoken.get()}
        </p>
    }
}
