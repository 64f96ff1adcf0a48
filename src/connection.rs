//! The device's connection and sync state as app-wide context, and its indicator. The browser's
//! `online`/`offline` events drive `online`; the sync engine drives `syncing` and `pending`.

use crate::i18n::{use_i18n, Msg};
use leptos::ev;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Connection {
    pub online: RwSignal<bool>,
    pub syncing: RwSignal<bool>,
    /// Changes saved on this device that the server has not acknowledged yet.
    pub pending: RwSignal<u32>,
}

pub fn provide_connection() -> Connection {
    let online = RwSignal::new(window().navigator().on_line());
    // Provided once at the root, so the listeners live as long as the app.
    std::mem::forget(window_event_listener(ev::online, move |_| online.set(true)));
    std::mem::forget(window_event_listener(ev::offline, move |_| online.set(false)));
    let connection = Connection { online, syncing: RwSignal::new(false), pending: RwSignal::new(0) };
    provide_context(connection);
    connection
}

pub fn use_connection() -> Connection {
    expect_context::<Connection>()
}

/// Online / offline / syncing, and how many changes wait, as a polite live region.
#[component]
pub fn ConnectionIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let connection = use_connection();
    let state = move || match (connection.online.get(), connection.syncing.get()) {
        (false, _) => ("offline", Msg::ConnectionOffline),
        (true, true) => ("syncing", Msg::ConnectionSyncing),
        (true, false) => ("online", Msg::ConnectionOnline),
    };
    let waiting = move || {
        let count = connection.pending.get();
        (count > 0).then(|| i18n.t_with(Msg::ConnectionWaiting, &[("count", &count.to_string())]))
    };
    view! {
        <div
            class="connection"
            data-state=move || state().0
            role="status"
            aria-live="polite"
            aria-label=move || i18n.t(Msg::ConnectionLabel)
        >
            <span class="connection-dot" aria-hidden="true"></span>
            <span>{move || i18n.t(state().1)}</span>
            {move || waiting().map(|text| view! { <span class="connection-waiting">{text}</span> })}
        </div>
    }
}
