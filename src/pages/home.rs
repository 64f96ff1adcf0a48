//! `/`: the two front doors.

use crate::i18n::{use_i18n, Msg};
use crate::layout::TopBar;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="area home">
            <TopBar />
            <main class="content">
                <h1>{i18n.msg(Msg::HomeTitle)}</h1>
                <nav class="doors">
                    <A href="/kiosk" attr:class="door">
                        <span class="door-title">{i18n.msg(Msg::HomeKiosk)}</span>
                        <span class="door-hint">{i18n.msg(Msg::HomeKioskHint)}</span>
                    </A>
                    <A href="/advisor" attr:class="door">
                        <span class="door-title">{i18n.msg(Msg::HomeAdvisor)}</span>
                        <span class="door-hint">{i18n.msg(Msg::HomeAdvisorHint)}</span>
                    </A>
                </nav>
            </main>
        </div>
    }
}
