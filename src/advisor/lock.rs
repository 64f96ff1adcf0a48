//! The tablet locks itself: a tablet left on a counter in the lane must not stay signed in, so
//! after a while without a touch the advisor's session ends and the PIN screen comes back. Work
//! saved on the tablet stays in its outbox and goes out once an advisor signs in again.

use crate::i18n::{use_i18n, Msg};
use crate::inactivity;
use crate::sync::{use_sync, SyncEngine};
use leptos::prelude::*;
use std::time::Duration;

/// The service manager's setting (and the tests'), in seconds; five minutes when unset.
const LOCK_SETTING: &str = "lane.tablet.lock_seconds";
const LOCK_DEFAULT: u32 = 300;

/// Ends the advisor's session on this tablet, and on the server when it can be reached.
pub fn sign_out(sync: SyncEngine) {
    let device = sync.device();
    let Some(session) = device.session.get_untracked() else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let token = match sync.store().await {
            Ok(store) => store.token().await.ok().flatten(),
            Err(_) => None,
        };
        // The local end is what locks the tablet; the server's session also ends by expiry.
        let _ = sync.set_session(None).await;
        if let Some(token) = token {
            let _ = crate::sync::fetch("POST", "/api/advisors/sign-out", Some(&token), Some(&session.token), None).await;
        }
    });
}

/// Watches for touches while an advisor is signed in, and signs them out when there are none.
#[component]
pub fn TabletLock() -> impl IntoView {
    let sync = use_sync();
    let device = sync.device();
    let limit = f64::from(inactivity::seconds_setting(LOCK_SETTING, LOCK_DEFAULT));
    inactivity::watch(Duration::from_secs(1), || {}, move |idle| {
        if device.session.with_untracked(Option::is_some) && idle.seconds() >= limit {
            idle.restart();
            sign_out(sync.clone());
        }
    });
}

/// Signs the advisor out now (leaving the tablet to a colleague).
#[component]
pub fn SignOutButton() -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    view! { <button type="button" on:click=move |_| sign_out(sync.clone())>{i18n.msg(Msg::TabletAccountSignOut)}</button> }
}
