//! `/kiosk`: the kiosk's start screen, inviting in all three languages.

use crate::i18n::{text, use_i18n, Msg};
use lane_domain::Language;
use leptos::prelude::*;

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
    view! {
        <section class="kiosk-start">
            <h1>{i18n.msg(Msg::KioskTitle)}</h1>
            <div class="greetings" aria-hidden="true">{others}</div>
            <p class="lead">{i18n.msg(Msg::KioskChooseLanguage)}</p>
            <p>{i18n.msg(Msg::KioskDeskHelp)}</p>
        </section>
    }
}

/// The `/kiosk` route: the set-up until the kiosk is enrolled, then the start screen.
#[component]
pub fn KioskHome() -> impl IntoView {
    view! {
        <crate::layout::KioskLayout>
            <crate::pages::DeviceGate kind=lane_domain::device::DeviceKind::Kiosk>
                <KioskStart />
            </crate::pages::DeviceGate>
        </crate::layout::KioskLayout>
    }
}
