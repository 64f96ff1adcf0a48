//! Any path the router does not know.

use crate::i18n::{use_i18n, Msg};
use crate::layout::TopBar;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let path = use_location().pathname;
    // Staff paths lead back to the staff start; everything else to the kiosk's, never to the
    // page that offers both doors.
    let back = move || if path.get().starts_with("/advisor") { "/advisor" } else { "/kiosk" }.to_owned();
    view! {
        <div class="area not-found">
            <TopBar />
            <main class="content">
                <h1>{i18n.msg(Msg::NotFoundTitle)}</h1>
                <p>{Signal::derive(move || i18n.t_with(Msg::NotFoundBody, &[("path", &path.get())]))}</p>
                <A href=back attr:class="button">
                    {i18n.msg(Msg::NotFoundBack)}
                </A>
            </main>
        </div>
    }
}
