//! `/advisor`: the tablet's start screen.

use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;

#[component]
pub fn AdvisorStart() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section>
            <h1>{move || i18n.t(Msg::AdvisorTitle)}</h1>
            <p>{move || i18n.t(Msg::AdvisorIntro)}</p>
        </section>
    }
}
