//! Back to the start screen when the kiosk is left alone: after a countdown the customer can
//! see (and stop with one tap), the screen goes to `/kiosk`, and the flow's signals, with
//! everything the customer typed, are disposed with it.

use crate::i18n::{use_i18n, Msg};
use crate::inactivity;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::time::Duration;

/// The service manager's setting (and the tests'), in seconds; 60 when unset.
const IDLE_SETTING: &str = "lane.kiosk.idle_seconds";
const IDLE_DEFAULT: u32 = 60;

#[component]
pub fn IdleReset() -> impl IntoView {
    let i18n = use_i18n();
    let limit = inactivity::seconds_setting(IDLE_SETTING, IDLE_DEFAULT);
    // The countdown shows for the last quarter, at most 15 seconds.
    let warn_from = limit - (limit / 4).clamp(1, 15);
    let left = RwSignal::new(None::<u32>);
    let navigate = use_navigate();
    let idle = inactivity::watch(
        Duration::from_millis(250),
        move || left.set(None),
        move |idle| {
            let idle = idle.seconds() as u32;
            if idle >= limit {
                navigate("/kiosk", Default::default());
            } else if idle >= warn_from && left.get_untracked() != Some(limit - idle) {
                left.set(Some(limit - idle));
            }
        },
    );
    let touched = move || {
        idle.restart();
        left.set(None);
    };
    // The dialog is drawn once when it opens; only its count changes after that.
    let showing = Memo::new(move |_| left.with(Option::is_some));
    let count = Signal::derive(move || i18n.t_with(Msg::KioskIdleBody, &[("seconds", &left.get().unwrap_or_default().to_string())]));
    move || {
        showing.get().then(|| {
            view! {
                <div class="idle" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-body">
                    <div class="idle-box">
                        <h2 id="idle-title">{i18n.msg(Msg::KioskIdleTitle)}</h2>
                        <p id="idle-body">{count}</p>
                        <button type="button" class="primary" on:click=move |_| touched()>{i18n.msg(Msg::KioskIdleStay)}</button>
                    </div>
                </div>
            }
        })
    }
}
