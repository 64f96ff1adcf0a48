//! The frames of the two areas. The kiosk's has no way out of `/kiosk`: a customer must not
//! wander into the staff side.

use crate::connection::ConnectionIndicator;
use crate::i18n::{use_i18n, Msg};
use crate::language_switch::LanguageSwitch;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
pub fn KioskLayout() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="area kiosk">
            <header class="topbar">
                <span class="brand">{move || i18n.t(Msg::AppName)}</span>
                <LanguageSwitch />
                <ConnectionIndicator />
            </header>
            <main class="content">
                <Outlet />
            </main>
        </div>
    }
}

#[component]
pub fn AdvisorLayout() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="area advisor">
            <header class="topbar">
                <A href="/advisor" attr:class="brand">
                    {move || i18n.t(Msg::AppName)}
                </A>
                <LanguageSwitch />
                <ConnectionIndicator />
            </header>
            <main class="content">
                <Outlet />
            </main>
        </div>
    }
}
