//! `/advisor`: the tablet's start screen, once the tablet is set up and an advisor signed in.

use crate::device::use_device;
use crate::i18n::{use_i18n, Msg};
use crate::pages::DeviceGate;
use lane_domain::device::DeviceKind;
use leptos::prelude::*;

/// The `/advisor` route: set-up, then sign-in (see [`DeviceGate`]), then the start screen.
#[component]
pub fn AdvisorHome() -> impl IntoView {
    view! {
        <crate::layout::AdvisorLayout>
            <DeviceGate kind=DeviceKind::Tablet>
                <AdvisorStart />
            </DeviceGate>
        </crate::layout::AdvisorLayout>
    }
}

#[component]
pub fn AdvisorStart() -> impl IntoView {
    let i18n = use_i18n();
    let device = use_device();
    let name = move || device.session.get().map(|s| s.name).unwrap_or_default();
    view! {
        <section>
            <h1>{i18n.msg(Msg::AdvisorTitle)}</h1>
            <p class="signed-in">{Signal::derive(move || i18n.t_with(Msg::AdvisorSignedIn, &[("name", &name())]))}" "<crate::advisor::lock::SignOutButton /></p>
            <p>{i18n.msg(Msg::AdvisorIntro)}</p>
            <super::kiosk_follow_ups::KioskFollowUps />
            <crate::advisor::Board />
        </section>
    }
}
