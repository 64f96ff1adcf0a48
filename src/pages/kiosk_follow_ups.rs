//! The kiosk's refused bookings and check-ins, for the staff to call back: the customer may have
//! left the kiosk before the server answered (`lane_domain::sync::KioskFollowUp`, pulled by
//! tablets only). Newest first.

use crate::device::use_device;
use crate::format;
use crate::i18n::{use_i18n, Msg};
use crate::js;
use crate::sync::use_sync;
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
    let (i18n, sync, device) = (use_i18n(), use_sync(), use_device());
    let list = RwSignal::new(Vec::<FollowUp>::new());
    Effect::new(move |_| {
        device.records.track();
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(store) = sync.store().await else { return };
            let read = |record: &wasm_bindgen::JsValue| {
                let reason = js::field(record, "reason");
                let text = |name| js::text(record, name).unwrap_or_default();
                FollowUp { name: text("name"), phone: text("phone"), plate: text("plate"), at: text("at"), reason: js::text(&reason, "code").unwrap_or_default(), message: js::text(&reason, "message").unwrap_or_default() }
            };
            let mut all: Vec<FollowUp> = store.records_js("kiosk_follow_up").await.unwrap_or_default().iter().map(read).collect();
            all.sort_by(|a, b| b.at.cmp(&a.at));
            list.try_set(all);
        });
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
