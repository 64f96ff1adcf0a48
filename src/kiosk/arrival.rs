//! The end of every check-in, with a booking or without: the valuables reminder, the change
//! that opens the visit, and the key tag screen.

use super::fields::text;
use super::frame::Step;
use crate::save_failure::SaveFailure;
use crate::connection::use_connection;
use crate::i18n::{use_i18n, Msg};
use crate::random;
use crate::store::StoreError;
use crate::sync::{use_sync, Answer, SyncEngine};
use lane_domain::appointment::{Concerns, ConfirmationCode, Transport};
use lane_domain::ids::VisitId;
use lane_domain::sync::{Arrival, Change, CheckIn};
use lane_domain::walkaround::KeyTag as Tag;
use leptos::prelude::*;

/// A check-in saved on the kiosk: its key tag, and whom to expect.
#[derive(Clone)]
pub struct CheckedIn {
    seq: u64,
    tag: String,
    /// The advisor the booking named, until the server's answer names one.
    advisor_name: Option<String>,
}

/// What a finished check-in came to: saved, or why not.
pub type Outcome = RwSignal<Option<Result<CheckedIn, StoreError>>>;

/// Saves the check-in into `outcome`. The key tag is the booking's confirmation code: the
/// customer has it, it is unique, and it needs no server to hand out, so it works offline too.
pub fn check_in(sync: SyncEngine, arrival: Arrival, transport: Transport, concerns: Concerns, code: ConfirmationCode, advisor_name: Option<String>, outcome: Outcome) {
    let key_tag = Tag::parse(code.as_str()).expect("a confirmation code is a key tag");
    let visit = VisitId::parse(&random::uuid_v4()).expect("a UUID is an id");
    let tag = key_tag.to_string();
    let change = Change::CheckIn(CheckIn { visit, arrival, transport, concerns, key_tag: Some(key_tag), parties: None });
    wasm_bindgen_futures::spawn_local(async move {
        let saved = sync.send(change).await.map(|saved| CheckedIn { seq: saved.seq, tag, advisor_name });
        outcome.try_set(Some(saved));
    });
}

/// The last step: the valuables reminder (贵重物品提醒), whose button checks in (`finish`),
/// and why saving failed if it did.
#[component]
pub fn ValuablesStep(step: u8, total: u8, back: Callback<()>, finish: Callback<()>, outcome: Outcome) -> impl IntoView {
    let i18n = use_i18n();
    let failure = Signal::derive(move || outcome.get().and_then(Result::err));
    view! {
        <Step title=Msg::KioskValuablesTitle step total back next=finish next_label=Msg::KioskValuablesConfirm>
            <p class="lead">{i18n.msg(Msg::KioskValuablesBody)}</p>
            <SaveFailure failure />
        </Step>
    }
}

/// The key tag number to write on the key envelope, and who comes, once the check-in is saved.
#[component]
pub fn KeyTag(checked_in: CheckedIn, leave: Callback<()>) -> impl IntoView {
    let (i18n, sync, connection) = (use_i18n(), use_sync(), use_connection());
    let CheckedIn { seq, tag, advisor_name } = checked_in;
    let answer = Signal::derive(move || sync.answer(seq));
    let who = text(move || match answer.get() {
        Some(Answer::Applied { advisor_name: Some(name) }) => i18n.t_with(Msg::KioskKeyAdvisor, &[("name", &name)]),
        _ => match &advisor_name {
            Some(name) => i18n.t_with(Msg::KioskKeyAdvisor, &[("name", name)]),
            None => i18n.t(Msg::KioskKeyAdvisorAny).to_owned(),
        },
    });
    let sent_or_online = Signal::derive(move || answer.with(Option::is_some) || connection.online.get());
    view! {
        <section class="kiosk-step key-tag" aria-labelledby="step-title">
            <h1 id="step-title">{i18n.msg(Msg::KioskKeyTitle)}</h1>
            <p class="code-label" id="tag-label">{i18n.msg(Msg::KioskKeyTag)}</p>
            <p class="code" aria-labelledby="tag-label">{tag}</p>
            <p>{i18n.msg(Msg::KioskKeyHint)}</p>
            <p role="status">{who}</p>
            <p class="notice" hidden=sent_or_online>{i18n.msg(Msg::KioskKeyOffline)}</p>
            <div class="step-actions">
                <button type="button" class="primary" on:click=move |_| leave.run(())>{i18n.msg(Msg::KioskDone)}</button>
            </div>
        </section>
    }
}
