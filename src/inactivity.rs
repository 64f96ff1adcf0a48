//! Time without a touch on a shared screen: the kiosk's reset to its start screen and the
//! tablet's lock both count it the same way, from the last pointer, key or input event.

use gloo_storage::{LocalStorage, Storage};
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;

/// A limit in seconds from the service manager's setting (and the tests'), or `default` when
/// unset or under two seconds.
pub fn seconds_setting(key: &str, default: u32) -> u32 {
    LocalStorage::get::<u32>(key).ok().filter(|s| *s >= 2).unwrap_or(default)
}

/// When the screen was last touched.
#[derive(Clone, Copy)]
pub struct Idle(StoredValue<f64>);

impl Idle {
    /// Counts as a touch.
    pub fn restart(self) {
        self.0.set_value(js_sys::Date::now());
    }

    pub fn seconds(self) -> f64 {
        (js_sys::Date::now() - self.0.get_value()) / 1000.0
    }
}

/// Calls `tick` every `period`, and `touched` after each touch, for as long as the calling
/// component lives.
pub fn watch(period: Duration, touched: impl Fn() + Copy + 'static, tick: impl Fn(Idle) + 'static) -> Idle {
    let idle = Idle(StoredValue::new(js_sys::Date::now()));
    let touch = move || {
        idle.restart();
        touched();
    };
    let listeners = [
        window_event_listener(ev::pointerdown, move |_| touch()),
        window_event_listener(ev::keydown, move |_| touch()),
        window_event_listener(ev::input, move |_| touch()),
    ];
    // A tick that comes after the component is gone does nothing (a timer cleared late, as under
    // a test's fake clock, must not touch what the component owned).
    let timer = set_interval_with_handle(
        move || {
            if idle.0.try_get_value().is_some() {
                tick(idle)
            }
        },
        period,
    )
    .ok();
    on_cleanup(move || {
        for listener in listeners {
            listener.remove();
        }
        if let Some(timer) = timer {
            timer.clear();
        }
    });
    idle
}
