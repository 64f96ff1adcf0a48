//! Lane's app: the lobby kiosk (`/kiosk/…`) and the advisor's tablet (`/advisor/…`), one Leptos
//! client-side app. Views stay thin: rules live in `lane-domain`; app-wide state (language,
//! connection, sync) is provided once in [`app::App`] and read with `use_*` accessors. Every change
//! goes through [`sync::SyncEngine::save`] into the device's [`store`] before it counts as saved.

/// Notes a step of the sync engine for the drain benchmark (`--features bench`); nothing otherwise.
macro_rules! bench_mark {
    ($step:literal) => {
        #[cfg(feature = "bench")]
        crate::bench::mark($step);
    };
}

pub mod advisor;
pub mod api;
pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "bench")]
pub mod bench_signature;
pub mod connection;
pub mod device;
pub mod fields;
pub mod format;
pub mod i18n;
pub mod inactivity;
pub mod js;
pub mod keypad;
pub mod kiosk;
pub mod language_switch;
pub mod layout;
pub mod pages;
pub mod panic_page;
pub mod pwa;
pub mod random;
pub mod rejected_changes;
pub mod save_failure;
pub mod store;
pub mod sync;

/// Entry point: a panic shows a recoverable page instead of a dead screen; the service worker
/// makes the next start work offline; then the app mounts.
pub fn start() {
    #[cfg(feature = "bench")]
    if web_sys::window().and_then(|w| w.location().pathname().ok()).as_deref() == Some(bench_signature::PATH) {
        return bench_signature::mount();
    }
    panic_page::install();
    pwa::register();
    leptos::mount::mount_to_body(app::App);
}
