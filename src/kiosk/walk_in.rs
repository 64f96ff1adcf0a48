//! `/kiosk/walk-in`: a customer without a booking registers with the same details as a booking
//! (the arrival is the slot), takes their valuables and gets the key tag number.

use super::arrival::{check_in, KeyTag, Outcome, ValuablesStep};
use super::draft::Draft;
use super::frame::{Flow, KioskScreen};
use super::steps::{Detail, DetailStep};
use crate::i18n::use_i18n;
use crate::sync::use_sync;
use chrono::Utc;
use lane_domain::sync::Arrival;
use leptos::prelude::*;

#[derive(Clone, Copy)]
enum Stage {
    Detail(Detail),
    Valuables,
}

const STAGES: [Stage; 6] = [
    Stage::Detail(Detail::Services),
    Stage::Detail(Detail::Car),
    Stage::Detail(Detail::Vehicle),
    Stage::Detail(Detail::Contact),
    Stage::Detail(Detail::Concerns),
    Stage::Valuables,
];

#[component]
pub fn KioskWalkIn() -> impl IntoView {
    view! { <KioskScreen><WalkIn /></KioskScreen> }
}

#[component]
fn WalkIn() -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let (draft, flow) = (Draft::provide(), Flow::new(STAGES.len()));
    let welcome = RwSignal::new(None::<String>);
    let outcome: Outcome = RwSignal::new(None);
    let finish = Callback::new(move |_| {
        let Some(concerns) = draft.checked_concerns() else { return };
        let (appointment, code) = Draft::new_ids();
        let request = draft.request(i18n.language(), Utc::now(), appointment, code.clone());
        let transport = request.transport;
        check_in(sync.clone(), Arrival::WalkIn(Box::new(request)), transport, concerns, code, None, outcome);
    });
    move || {
        if let Some(Ok(checked_in)) = outcome.get() {
            return view! { <KeyTag checked_in leave=flow.leave /> }.into_any();
        }
        let stage = STAGES[flow.here()];
        let (back, next, (step, total)) = (flow.back(), flow.next(), flow.count());
        match stage {
            Stage::Detail(detail) => view! { <DetailStep detail step total back next welcome /> }.into_any(),
            Stage::Valuables => view! { <ValuablesStep step total back finish outcome /> }.into_any(),
        }
    }
}
