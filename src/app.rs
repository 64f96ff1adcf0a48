//! The root component: app-wide contexts and the route tree.

use crate::connection::provide_connection;
use crate::i18n::provide_i18n;
use crate::layout::{AdvisorLayout, KioskLayout};
use crate::pages::{AdvisorStart, Home, KioskStart, NotFound};
use crate::sync::provide_sync;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_sync(provide_connection());
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <ParentRoute path=path!("/kiosk") view=KioskLayout>
                    <Route path=path!("") view=KioskStart />
                </ParentRoute>
                <ParentRoute path=path!("/advisor") view=AdvisorLayout>
                    <Route path=path!("") view=AdvisorStart />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
