//! The kiosk's refused bookings and check-ins, for the staff to call back: the customer may have
//! left the kiosk before the server answered (`lane_domain::sync::KioskFollowUp`, pulled by
//! tablets only). Newest first; each is marked handled with what was agreed
//! (`KioskFollowUp::handle`), and then leaves the list.

use crate::fields::{aria, text};
use crate::format;
use crate::i18n::{use_i18n, Msg};
use crate::js;
use crate::save_failure::SaveFailure;
use crate::store::{LocalRecord, StoreError};
use crate::sync::{use_records, use_sync};
use lane_domain::sync::{Change, FollowUpError, FollowUpHandled, MAX_FOLLOW_UP_NOTE};
use leptos::prelude::*;

#[derive(Clone)]
struct FollowUp {
    id: String,
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
        // Handled ones are done with.
        if !js::field(record, "handled").is_undefined() {
            return None;
        }
        Some(FollowUp { id: text("id"), name: text("name"), phone: text("phone"), plate: text("plate"), at: text("at"), reason: js::text(&reason, "code").unwrap_or_default(), message: js::text(&reason, "message").unwrap_or_default() })
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
                        <strong>{f.name.clone()}</strong>" · "<a href=format!("tel:{}", f.phone)>{f.phone.clone()}</a>" · "{f.plate}
                        <br />{when}" · "{why}
                        <HandleFollowUp id=f.id name=f.name />
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

/// What was agreed with the customer, and the button that marks the call back handled.
#[component]
fn HandleFollowUp(id: String, name: String) -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<FollowUpError>);
    let failure = RwSignal::new(None::<StoreError>);
    let label = i18n.t_with(Msg::AdvisorFollowUpsNote, &[("name", &name)]);
    let error_id = format!("follow-up-{id}-error");
    let handle = move |_| {
        let (sync, id) = (sync.clone(), id.clone());
        let Some(advisor) = sync.device().session.get_untracked().map(|s| s.advisor) else { return };
        let handled = match FollowUpHandled::new(advisor, chrono::Utc::now(), &note.get_untracked()) {
            Ok(handled) => handled,
            Err(error) => return problem.set(Some(error)),
        };
        problem.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(store) = sync.store().await else { return };
            let Some(record) = store.records_js("kiosk_follow_up").await.unwrap_or_default().into_iter().find(|r| js::text(r, "id").as_deref() == Some(id.as_str())) else { return };
            // The record as pulled, with `handled` added: read and written by the browser's JSON
            // (crate::js), as the list reads it.
            let _ = js_sys::Reflect::set(&record, &"handled".into(), &js::parse(&serde_json::to_string(&handled).unwrap_or_default()).unwrap_or_default());
            let json = js_sys::JSON::stringify(&record).map(String::from).unwrap_or_default();
            let change = Change::HandleFollowUp { follow_up: id.clone(), note: handled.note };
            match sync.save_together(&[LocalRecord::json("kiosk_follow_up", &id, json)], change).await {
                // The list reads the store again, and this one is gone from it, offline too.
                Ok(_) => drop(sync.device().records.try_update(|n| *n = n.wrapping_add(1))),
                Err(error) => drop(failure.try_set(Some(error))),
            }
        });
    };
    let why = text(move || match problem.get() {
        None => String::new(),
        Some(FollowUpError::NoteEmpty) => i18n.t(Msg::AdvisorFollowUpsNoteEmpty).to_owned(),
        Some(FollowUpError::NoteTooLong { .. }) => i18n.t_with(Msg::AdvisorFollowUpsNoteTooLong, &[("max", &MAX_FOLLOW_UP_NOTE.to_string())]),
        Some(FollowUpError::AlreadyHandled) => i18n.t(Msg::AdvisorFollowUpsAlready).to_owned(),
    });
    view! {
        <div class="follow-up-handle">
            <textarea
                rows="2"
                aria-label=label
                aria-invalid=aria(move || problem.with(Option::is_some))
                aria-describedby=error_id.clone()
                prop:value=note
                on:input=move |ev| note.set(event_target_value(&ev))
            ></textarea>
            <p id=error_id class="error" role="alert">{why}</p>
            <SaveFailure failure />
            <button type="button" on:click=handle>{i18n.msg(Msg::AdvisorFollowUpsHandled)}</button>
        </div>
    }
}
