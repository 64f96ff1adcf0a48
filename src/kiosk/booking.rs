//! `/kiosk/book`: book a visit (预约, DOMAIN.md step 1). Services, a free time, plate and phone
//! (a returning customer's details fill in), the car, the contact, transport and concerns, a
//! review; then the confirmation with the code to check in with.

use super::draft::Draft;
use crate::format;
use super::fields::text;
use super::frame::{Flow, KioskScreen, Step};
use crate::save_failure::SaveFailure;
use super::steps::{service_names, use_catalogue, Detail, DetailStep, TimeChoice};
use crate::connection::use_connection;
use crate::i18n::{use_i18n, Msg};
use crate::store::StoreError;
use crate::sync::{use_sync, Answer};
use chrono::{DateTime, Utc};
use lane_domain::appointment::ConfirmationCode;
use lane_domain::sync::Change;
use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, Copy)]
enum Stage {
    Detail(Detail),
    Time,
    Review,
}

const STAGES: [Stage; 7] = [
    Stage::Detail(Detail::Services),
    Stage::Time,
    Stage::Detail(Detail::Car),
    Stage::Detail(Detail::Vehicle),
    Stage::Detail(Detail::Contact),
    Stage::Detail(Detail::Concerns),
    Stage::Review,
];
const TIME: usize = 1;
const REVIEW: usize = 6;

/// A booking saved on the kiosk: its outbox seq, to follow the server's answer.
#[derive(Clone)]
struct Sent {
    seq: u64,
    code: ConfirmationCode,
    slot: DateTime<Utc>,
}

#[component]
pub fn KioskBook() -> impl IntoView {
    view! { <KioskScreen><Booking /></KioskScreen> }
}

#[component]
fn Booking() -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let (draft, flow) = (Draft::provide(), Flow::new(STAGES.len()));
    let sent = RwSignal::new(None::<Sent>);
    let taken = RwSignal::new(false);
    let welcome = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<StoreError>);
    let confirm = Callback::new(move |_| {
        let Some(slot) = draft.slot.get_untracked() else { return flow.at.set(TIME) };
        let (appointment, code) = Draft::new_ids();
        let request = draft.request(i18n.language(), slot, appointment, code.clone());
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match sync.send(Change::BookAppointment(request)).await {
                Ok(saved) => {
                    taken.try_set(false);
                    sent.try_set(Some(Sent { seq: saved.seq, code, slot }));
                }
                Err(error) => {
                    failure.try_set(Some(error));
                }
            }
        });
    });
    // The server's answer: a slot filled meanwhile sends the customer back to choose another,
    // with everything else they typed kept.
    let answers = use_sync();
    Effect::new(move |_| {
        let Some(Sent { seq, .. }) = sent.get() else { return };
        if let Some(Answer::Rejected { code }) = answers.answer(seq) {
            if code == "slot_full" {
                sent.set(None);
                draft.slot.set(None);
                taken.set(true);
                flow.at.set(TIME);
            }
        }
    });
    move || {
        if let Some(booking) = sent.get() {
            return view! { <Booked booking leave=flow.leave /> }.into_any();
        }
        let here = flow.here();
        let (back, (step, total)) = (flow.back(), flow.count());
        // Back after a taken time, the customer has checked everything else already.
        let next = if here == TIME && taken.get_untracked() { Callback::new(move |_| flow.at.set(REVIEW)) } else { flow.next() };
        match STAGES[here] {
            Stage::Detail(detail) => view! { <DetailStep detail step total back next welcome /> }.into_any(),
            Stage::Time => view! {
                <Step title=Msg::KioskTimeTitle step total back>
                    <TimeChoice chosen=next notice=taken.get_untracked().then_some(Msg::KioskTimeTaken) />
                </Step>
            }
            .into_any(),
            Stage::Review => view! {
                <Step title=Msg::KioskReviewTitle step total back next=confirm next_label=Msg::KioskReviewConfirm>
                    <Review draft />
                    <SaveFailure failure />
                </Step>
            }
            .into_any(),
        }
    }
}

/// The booking as the customer typed it, to check before sending.
#[component]
fn Review(draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let services = service_names(use_catalogue(), Signal::derive(move || draft.services.get().iter().map(|s| s.as_str().to_owned()).collect()));
    let when = text(move || format::moment(draft.slot.get().map_or(0.0, |slot| slot.timestamp_millis() as f64), i18n.language()));
    let car = text(move || format!("{} · {} {}", draft.plate.get(), draft.make.get(), draft.model.get()));
    let contact = text(move || format!("{} · {}", draft.name.get(), draft.phone.get()));
    view! {
        <dl class="summary">
            <dt>{i18n.msg(Msg::KioskReviewServices)}</dt><dd>{services}</dd>
            <dt>{i18n.msg(Msg::KioskReviewTime)}</dt><dd>{when}</dd>
            <dt>{i18n.msg(Msg::KioskReviewCar)}</dt><dd>{car}</dd>
            <dt>{i18n.msg(Msg::KioskReviewContact)}</dt><dd>{contact}</dd>
        </dl>
    }
}

/// How long the confirmation waits for the server before it says the time is only requested.
const ANSWER_WAIT: Duration = Duration::from_secs(8);

/// The confirmation: confirmed with the advisor's name once the server answered, or honestly
/// only requested while the kiosk is offline; the code to check in with, large.
#[component]
fn Booked(booking: Sent, leave: Callback<()>) -> impl IntoView {
    let (i18n, sync, connection) = (use_i18n(), use_sync(), use_connection());
    let waited = RwSignal::new(false);
    set_timeout(
        move || {
            waited.try_set(true);
        },
        ANSWER_WAIT,
    );
    let seq = booking.seq;
    let answer = Signal::derive(move || sync.answer(seq));
    let requested = Signal::derive(move || answer.with(Option::is_none) && (waited.get() || !connection.online.get()));
    let title = text(move || {
        i18n.t(match answer.get() {
            Some(Answer::Applied { .. }) => Msg::KioskBookedTitle,
            Some(Answer::Rejected { .. }) => Msg::KioskBookedFailed,
            None if requested.get() => Msg::KioskBookedRequestedTitle,
            None => Msg::KioskBookedSending,
        })
        .to_owned()
    });
    let detail = text(move || match answer.get() {
        Some(Answer::Applied { advisor_name: Some(name) }) => i18n.t_with(Msg::KioskBookedAdvisor, &[("name", &name)]),
        None if requested.get() => i18n.t(Msg::KioskBookedRequested).to_owned(),
        _ => String::new(),
    });
    let millis = booking.slot.timestamp_millis() as f64;
    let when = text(move || format::moment(millis, i18n.language()));
    let failed = Signal::derive(move || matches!(answer.get(), Some(Answer::Rejected { .. })));
    let code = booking.code.to_string();
    view! {
        <section class="kiosk-step booked" aria-labelledby="step-title">
            <div role="status"><h1 id="step-title">{title}</h1></div>
            <div hidden=failed>
                <p class="when">{when}</p>
                <p>{detail}</p>
                <p>{i18n.msg(Msg::KioskBookedBring)}</p>
                <p class="code-label" id="code-label">{i18n.msg(Msg::KioskBookedCode)}</p>
                <p class="code" aria-labelledby="code-label">{code}</p>
                <p>{i18n.msg(Msg::KioskBookedCodeHint)}</p>
            </div>
            <div class="step-actions">
                <button type="button" class="primary" on:click=move |_| leave.run(())>{i18n.msg(Msg::KioskDone)}</button>
            </div>
        </section>
    }
}
