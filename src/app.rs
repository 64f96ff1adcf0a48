//! The root component: app-wide contexts and the route tree.

use crate::connection::provide_connection;
use crate::i18n::provide_i18n;
use crate::advisor::{AdvisorFollowUps, AdvisorPrint, AdvisorVisit, AdvisorWalkIn};
use crate::kiosk::{KioskBook, KioskCheckIn, KioskHome, KioskWalkIn};
use crate::pages::{AdvisorHome, Home, NotFound};
use crate::sync::provide_sync;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_sync(provide_connection());
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <Route path=path!("/kiosk") view=KioskHome />
                <Route path=path!("/kiosk/book") view=KioskBook />
                <Route path=path!("/kiosk/check-in") view=KioskCheckIn />
                <Route path=path!("/kiosk/walk-in") view=KioskWalkIn />
                <Route path=path!("/advisor") view=AdvisorHome />
                <Route path=path!("/advisor/walk-in") view=AdvisorWalkIn />
                <Route path=path!("/advisor/follow-ups") view=AdvisorFollowUps />
                <Route path=path!("/advisor/visits/:id") view=AdvisorVisit />
                <Route path=path!("/advisor/visits/:id/print") view=AdvisorPrint />
            </Routes>
        </Router>
    }
}
