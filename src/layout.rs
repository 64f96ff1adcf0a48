//! The frames of the screens: one top bar everywhere (brand, language switch, connection), and
//! the layouts of the two areas. The kiosk's has no way out of `/kiosk`: a customer must not
//! wander into the staff side.
//!
//! Each screen wraps itself in its area's layout (`<KioskLayout>…</KioskLayout>`) and the routes
//! are flat: nested routes with an `<Outlet/>` cost about 2.4 KiB of brotli'd wasm in the router's
//! generic code, for a top bar that is cheap to draw again on a change of screen.

use crate::connection::ConnectionIndicator;
use crate::i18n::{use_i18n, Msg};
use crate::language_switch::LanguageSwitch;
use crate::rejected_changes::RejectedChanges;
use leptos::prelude::*;
use leptos_router::components::A;

/// The bar on top of every screen. `home` makes the brand a link to that path.
#[component]
pub fn TopBar(#[prop(optional)] home: Option<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    let brand = i18n.msg(Msg::AppName);
    view! {
        <header class="topbar">
            {match home {
                Some(href) => view! { <A href=href attr:class="brand">{brand}</A> }.into_any(),
                None => view! { <span class="brand">{brand}</span> }.into_any(),
            }}
            <LanguageSwitch />
            <ConnectionIndicator />
        </header>
    }
}

#[component]
pub fn KioskLayout(children: Children) -> impl IntoView {
    view! {
        <div class="area kiosk">
            <TopBar />
            <main class="content">
                {children()}
            </main>
        </div>
    }
}

#[component]
pub fn AdvisorLayout(children: Children) -> impl IntoView {
    view! {
        <div class="area advisor">
            <TopBar home="/advisor" />
            <main class="content">
                <RejectedChanges />
                {children()}
            </main>
            <crate::advisor::lock::TabletLock />
        </div>
    }
}
