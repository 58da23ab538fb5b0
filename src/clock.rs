//! The page's clock for countdowns: a signal with the time that ticks while the
//! component that asked for it lives.

use leptos::prelude::*;
use send_wrapper::SendWrapper;

/// `Date.now()`, updated every `every_ms`; the timer stops with the calling component.
pub fn ticking(every_ms: u32) -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    // Leptos cleanups must be Send; browser timers are not, and the app is single-threaded.
    let timer = SendWrapper::new(gloo_timers::callback::Interval::new(every_ms, move || {
        now.set(js_sys::Date::now())
    }));
    on_cleanup(move || drop(timer));
    now
}

/// Whole seconds from `now_ms` until `at_ms`, never negative.
pub fn seconds_until(at_ms: f64, now_ms: f64) -> u32 {
    ((at_ms - now_ms) / 1000.0).ceil().max(0.0) as u32
}

/// `01:39`, as the guide's «Повторная отправка через 01:39».
pub fn mm_ss(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// Today in the browser's time zone, for the date rules of the forms.
pub fn today() -> time::Date {
    let now = js_sys::Date::new_0();
    let month = time::Month::try_from(now.get_month() as u8 + 1).unwrap_or(time::Month::January);
    time::Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8)
        .unwrap_or(time::Date::MIN)
}
