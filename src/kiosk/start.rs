//! `/kiosk`: the start screen, inviting in all three languages, with the three ways in. Every
//! flow returns here, and so does an idle screen.

use crate::i18n::{text, use_i18n, Msg};
use crate::layout::KioskLayout;
use crate::pages::DeviceGate;
use lane_domain::device::DeviceKind;
use lane_domain::Language;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn KioskStart() -> impl IntoView {
    let i18n = use_i18n();
    // The other languages' greetings, so a customer who cannot read the current one sees theirs.
    let others = move || {
        Language::ALL
            .into_iter()
            .filter(|language| *language != i18n.language())
            .map(|language| view! { <p class="greeting" lang=language.tag()>{text(language, Msg::KioskTitle)}</p> })
            .collect_view()
    };
    let door = |href: &'static str, title: Msg, hint: Msg| {
        view! {
            <A href=href attr:class="door">
                <span class="door-title">{i18n.msg(title)}</span>
                <span class="door-hint">{i18n.msg(hint)}</span>
            </A>
        }
    };
    view! {
        <section class="kiosk-start">
            <h1>{i18n.msg(Msg::KioskTitle)}</h1>
            <div class="greetings" aria-hidden="true">{others}</div>
            <p class="lead">{i18n.msg(Msg::KioskChooseLanguage)}</p>
            <nav class="doors">
                {door("/kiosk/check-in", Msg::KioskStartCheckIn, Msg::KioskStartCheckInHint)}
                {door("/kiosk/walk-in", Msg::KioskStartWalkIn, Msg::KioskStartWalkInHint)}
                {door("/kiosk/book", Msg::KioskStartBook, Msg::KioskStartBookHint)}
            </nav>
            <p>{i18n.msg(Msg::KioskDeskHelp)}</p>
        </section>
    }
}

/// The `/kiosk` route: the set-up until the kiosk is enrolled, then the start screen.
#[component]
pub fn KioskHome() -> impl IntoView {
    view! {
        <KioskLayout>
            <DeviceGate kind=DeviceKind::Kiosk>
                <KioskStart />
            </DeviceGate>
        </KioskLayout>
    }
}
