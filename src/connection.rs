//! The device's connection and sync state as app-wide context, and its indicator. The browser's
//! `online`/`offline` events drive `online`; the sync engine drives the rest.

use crate::i18n::{use_i18n, Msg};
use leptos::ev;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Connection {
    pub online: RwSignal<bool>,
    pub syncing: RwSignal<bool>,
    /// Changes saved on this device that the server has not acknowledged yet.
    pub pending: RwSignal<u32>,
    /// Photos kept on this device that the server does not have yet.
    pub photos_waiting: RwSignal<u32>,
    /// When the last sync completed, in milliseconds since the epoch.
    pub last_sync: RwSignal<Option<f64>>,
    pub problem: RwSignal<Option<SyncProblem>>,
}

/// What keeps changes from being saved or synced, until it is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncProblem {
    /// The browser refused more data; earlier changes are kept.
    StorageFull,
    /// No usable storage (private window, storage off, or another tab's Lane holds it).
    StorageUnavailable,
    /// The server refused this device's requests (e.g. its token was revoked).
    Refused { code: String, message: String },
    /// A tablet's changes wait until an advisor signs in.
    SignInRequired,
}

pub fn provide_connection() -> Connection {
    let online = RwSignal::new(window().navigator().on_line());
    // Provided once at the root, so the listeners live as long as the app.
    std::mem::forget(window_event_listener(ev::online, move |_| online.set(true)));
    std::mem::forget(window_event_listener(ev::offline, move |_| online.set(false)));
    let connection = Connection {
        online,
        syncing: RwSignal::new(false),
        pending: RwSignal::new(0),
        photos_waiting: RwSignal::new(0),
        last_sync: RwSignal::new(None),
        problem: RwSignal::new(None),
    };
    provide_context(connection);
    connection
}

pub fn use_connection() -> Connection {
    expect_context::<Connection>()
}

impl Connection {
    /// Whether the server refused this device's token (revoked, or unknown to it).
    pub fn revoked(self) -> bool {
        matches!(self.problem.get(), Some(SyncProblem::Refused { code, .. }) if code == crate::js::code::UNAUTHORIZED || code == crate::js::code::DEVICE_REVOKED)
    }
}

/// Online / offline / syncing, how many changes (and photos) wait, when the last sync was, and what stops
/// saving or syncing, as a polite live region.
#[component]
pub fn ConnectionIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let connection = use_connection();
    let state = move || match (connection.online.get(), connection.syncing.get()) {
        (false, _) => ("offline", Msg::ConnectionOffline),
        (true, true) => ("syncing", Msg::ConnectionSyncing),
        (true, false) => ("online", Msg::ConnectionOnline),
    };
    let waiting = Signal::derive(move || match connection.pending.get() {
        0 => i18n.t(Msg::ConnectionAllSaved).to_owned(),
        1 => i18n.t(Msg::ConnectionWaitingOne).to_owned(),
        count => i18n.t_with(Msg::ConnectionWaiting, &[("count", &count.to_string())]),
    });
    let photos = move || match connection.photos_waiting.get() {
        0 => None,
        1 => Some(i18n.t(Msg::PhotoWaitingOne).to_owned()),
        count => Some(i18n.t_with(Msg::PhotoWaiting, &[("count", &count.to_string())])),
    };
    let last_sync = move || connection.last_sync.get().map(|at| i18n.t_with(Msg::ConnectionLastSync, &[("time", &clock_time(at))]));
    let problem = move || {
        connection.problem.get().map(|problem| match problem {
            SyncProblem::StorageFull => i18n.t(Msg::ConnectionStorageFull).to_owned(),
            SyncProblem::StorageUnavailable => i18n.t(Msg::ConnectionStorageUnavailable).to_owned(),
            SyncProblem::Refused { code, .. } if code == crate::js::code::UNAUTHORIZED || code == crate::js::code::DEVICE_REVOKED => i18n.t(Msg::ConnectionNotEnrolled).to_owned(),
            SyncProblem::SignInRequired => i18n.t(Msg::ConnectionSignInRequired).to_owned(),
            SyncProblem::Refused { message, .. } => i18n.t_with(Msg::ConnectionRefused, &[("message", &message)]),
        })
    };
    view! {
        <div
            class="connection"
            data-state=Signal::derive(move || state().0)
            data-pending=connection.pending
            role="status"
            aria-live="polite"
            aria-label=i18n.msg(Msg::ConnectionLabel)
        >
            <span class="connection-dot" aria-hidden="true"></span>
            <span>{Signal::derive(move || i18n.t(state().1))}</span>
            <span class="connection-waiting">{waiting}</span>
            {move || photos().map(|text| view! { <span class="connection-photos">{text}</span> })}
            {move || last_sync().map(|text| view! { <span class="connection-last">{text}</span> })}
            {move || problem().map(|text| view! { <span class="connection-problem">{text}</span> })}
        </div>
    }
}

/// HH:MM in the device's time zone.
fn clock_time(millis: f64) -> String {
    let date = js_sys::Date::new(&millis.into());
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}
