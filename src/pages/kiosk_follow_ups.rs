//! The kiosk's refused bookings and check-ins, for the staff to call back: the customer may have
//! left the kiosk before the server answered (`lane_domain::sync::KioskFollowUp`, pulled by
//! tablets only). Newest first.

use crate::format;
use crate::i18n::{use_i18n, Msg};
use crate::js;
use crate::sync::use_records;
use leptos::prelude::*;

#[derive(Clone)]
struct FollowUp {
    name: String,
    phone: String,
    plate: String,
    at: String,
    reason: String,
    message: String,
}

#[component]
pub fn KioskFollowUps() -> impl IntoView {
    let i18n = use_i18n();
    let records = use_records("kiosk_follow_up", |record| {
        let reason = js::field(record, "reason");
        let text = |name| js::text(record, name).unwrap_or_default();
        Some(FollowUp { name: text("name"), phone: text("phone"), plate: text("plate"), at: text("at"), reason: js::text(&reason, "code").unwrap_or_default(), message: js::text(&reason, "message").unwrap_or_default() })
    });
    let list = Signal::derive(move || {
        let mut all = records.get().unwrap_or_default();
        all.sort_by(|a: &FollowUp, b| b.at.cmp(&a.at));
        all
    });
    let items = move || {
        list.get()
            .into_iter()
            .map(|f| {
                let why = if f.reason == "slot_full" { i18n.t(Msg::AdvisorFollowUpsSlotFull).to_owned() } else { i18n.t_with(Msg::AdvisorFollowUpsOther, &[("message", &f.message)]) };
                let when = format::moment(format::millis(&f.at), i18n.language());
                view! {
                    <li>
                        <strong>{f.name}</strong>" · "<a href=format!("tel:{}", f.phone)>{f.phone.clone()}</a>" · "{f.plate}
                        <br />{when}" · "{why}
                    </li>
                }
            })
            .collect_view()
    };
    move || {
        (!list.with(Vec::is_empty)).then(|| {
            view! {
                <section class="follow-ups" aria-labelledby="follow-ups-title">
                    <h2 id="follow-ups-title">{i18n.msg(Msg::AdvisorFollowUpsTitle)}</h2>
                    <p>{i18n.msg(Msg::AdvisorFollowUpsIntro)}</p>
                    <ul>{items}</ul>
                </section>
            }
        })
    }
}
