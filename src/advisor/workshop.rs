//! The car in the workshop (DOMAIN.md steps 6-10): the hand-over, the next deadline the client's
//! rules derive (progress check, pickup notice, promised time) with the late-job prompt, every
//! word with the customer (when, how, what was said), the three quality checks, the wash and the
//! car made ready with its pickup notice. Each is a `VisitEvent` recorded by
//! [`VisitFile::record`](super::visit::VisitFile::record); the rules are the domain's.

use super::visit::use_visit;
use crate::fields::{aria, text, TextArea, TextField, TEXT};
use crate::format;
use crate::i18n::{use_i18n, I18n, Msg};
use chrono::{DateTime, Utc};
use lane_domain::customer::PersonName;
use lane_domain::jobs::PROMISE_STEP;
use lane_domain::visit::{Visit, VisitState};
use lane_domain::workshop::{CheckStage, ContactChannel, ContactPurpose, CustomerContact, DeadlineKind, Handover, QualityCheck, VisitEvent};
use leptos::prelude::*;

pub fn when(i18n: I18n, at: DateTime<Utc>) -> String {
    format::moment(at.timestamp_millis() as f64, i18n.language())
}

fn channel_name(channel: ContactChannel) -> Msg {
    match channel {
        ContactChannel::Phone => Msg::WorkshopChannelPhone,
        ContactChannel::Text => Msg::WorkshopChannelText,
        ContactChannel::InPerson => Msg::WorkshopChannelInPerson,
    }
}

fn purpose_name(purpose: ContactPurpose) -> Msg {
    match purpose {
        ContactPurpose::Progress => Msg::WorkshopPurposeProgress,
        ContactPurpose::Delay => Msg::WorkshopPurposeDelay,
        ContactPurpose::PickupNotice => Msg::WorkshopPurposePickupNotice,
    }
}

pub fn stage_name(stage: CheckStage) -> Msg {
    match stage {
        CheckStage::Technician => Msg::WorkshopCheckTechnician,
        CheckStage::TeamLead => Msg::WorkshopCheckTeamLead,
        CheckStage::FinalInspection => Msg::WorkshopCheckFinal,
    }
}

/// A name typed for who did something, or the translated reason it is not one.
pub fn person(i18n: I18n, typed: &str) -> Result<PersonName, String> {
    PersonName::parse(typed).map_err(|_| i18n.t(Msg::WorkshopErrorName).to_owned())
}

/// How the customer was told: three large buttons, one pressed.
#[component]
pub fn ChannelChoice(value: RwSignal<ContactChannel>, label: Msg) -> impl IntoView {
    let i18n = use_i18n();
    let buttons = ContactChannel::ALL
        .into_iter()
        .map(|choice| view! { <button type="button" class="choice" aria-pressed=aria(move || value.get() == choice) on:click=move |_| value.set(choice)>{i18n.msg(channel_name(choice))}</button> })
        .collect_view();
    view! { <div class="choices" role="group" aria-label=i18n.msg(label)>{buttons}</div> }
}

#[component]
pub fn WorkshopTab() -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    let visit = Memo::new(move |_| file.loaded.with(|l| l.as_ref().map(|l| l.visit.clone())));
    let state = Memo::new(move |_| visit.with(|v| v.as_ref().map(|v| v.state)));
    // The board's clock, so deadlines come due on screen as they do on the board.
    let millis = super::board::clock();
    let now = Memo::new(move |_| DateTime::from_timestamp_millis(millis.get() as i64).unwrap_or_else(Utc::now));
    view! {
        <section class="workshop" aria-labelledby="workshop-title">
            <h2 id="workshop-title">{i18n.msg(Msg::WorkshopTitle)}</h2>
            <DeadlineLine visit now />
            {move || match state.get() {
                Some(VisitState::WrittenUpAndSigned) => view! { <HandOver /> }.into_any(),
                Some(VisitState::InWorkshop) => view! { <HandedOver visit /><WorkFinished /> }.into_any(),
                Some(VisitState::QualityCheck) => view! { <HandedOver visit /><Checks visit /><WashAndReady visit /> }.into_any(),
                Some(_) => view! { <HandedOver visit /><Checks visit /> }.into_any(),
                None => ().into_any(),
            }}
            <Contacts visit now />
        </section>
    }
}

/// The next deadline, highlighted when at risk, and the late-job prompt.
#[component]
fn DeadlineLine(visit: Memo<Option<Visit>>, now: Memo<DateTime<Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let now = now.get();
        visit.with(|v| {
            let v = v.as_ref()?;
            let late = v.is_late(now).then(|| {
                let promised = v.promised_at.map(|at| when(i18n, at)).unwrap_or_default();
                view! { <p class="late" role="alert">{i18n.t_with(Msg::WorkshopLate, &[("promised", &promised)])}</p> }
            });
            let deadline = v.next_deadline(now).map(|d| {
                let kind = match d.kind {
                    DeadlineKind::ProgressCheck => Msg::WorkshopDeadlineProgress,
                    DeadlineKind::PickupNotice => Msg::WorkshopDeadlinePickupNotice,
                    DeadlineKind::Promised => Msg::WorkshopDeadlinePromised,
                };
                let at_risk = d.at_risk.then(|| view! { <strong class="at-risk-badge">{i18n.t(Msg::WorkshopAtRisk)}</strong>" " });
                view! { <p class="deadline" class:at-risk=d.at_risk>{at_risk}{i18n.t_with(kind, &[("when", &when(i18n, d.due))])}</p> }
            });
            Some(view! { {deadline}{late} })
        })
    }
}

#[component]
fn HandOver() -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let by = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let hand_over = move |_| match person(i18n, &by.get_untracked()) {
        Ok(name) => {
            error.set(None);
            file.record(VisitEvent::HandedOver { handover: Handover::new(name, Utc::now()) });
        }
        Err(e) => error.set(Some(e)),
    };
    view! {
        <fieldset class="handover">
            <legend>{i18n.msg(Msg::WorkshopHandOverTitle)}</legend>
            <p class="quiet">{i18n.msg(Msg::WorkshopHandOverHint)}</p>
            <TextField id="handover-by" label=Msg::WorkshopHandOverBy value=by typing=TEXT error=error.into() />
            <button type="button" class="primary" on:click=hand_over>{i18n.msg(Msg::WorkshopHandOver)}</button>
        </fieldset>
    }
}

#[component]
fn HandedOver(visit: Memo<Option<Visit>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        visit.with(|v| {
            let h = v.as_ref()?.handover.as_ref()?;
            Some(view! { <p class="handed-over">{i18n.t_with(Msg::WorkshopHandedOver, &[("name", h.by.as_str()), ("when", &when(i18n, h.at()))])}</p> })
        })
    }
}

#[component]
fn WorkFinished() -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    view! {
        <button type="button" class="primary" on:click=move |_| file.record(VisitEvent::WorkFinished { at: Utc::now() })>
            {i18n.msg(Msg::WorkshopWorkFinished)}
        </button>
    }
}

/// The checks recorded, and the form for the next one while the car is in quality check.
#[component]
fn Checks(visit: Memo<Option<Visit>>) -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let by = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let next = Memo::new(move |_| visit.with(|v| v.as_ref().filter(|v| v.state == VisitState::QualityCheck).and_then(Visit::next_check)));
    let check = move |passed: bool| {
        let Some(stage) = next.get_untracked() else { return };
        match person(i18n, &by.get_untracked()) {
            Ok(name) => {
                error.set(None);
                file.record(VisitEvent::Checked { check: QualityCheck { stage, by: name, at: Utc::now(), passed, note: note.get_untracked() } });
                note.set(String::new());
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let done = move || {
        visit.with(|v| {
            v.as_ref()
                .map(|v| v.quality.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|c| {
                    let outcome = i18n.t(if c.passed { Msg::WorkshopCheckPassed } else { Msg::WorkshopCheckFailed });
                    let line = format!("{} · {outcome} · {} · {}", i18n.t(stage_name(c.stage)), c.by, when(i18n, c.at));
                    view! { <li>{line}{(!c.note.is_empty()).then(|| format!(" — {}", c.note))}</li> }
                })
                .collect_view()
        })
    };
    view! {
        <h3>{i18n.msg(Msg::WorkshopChecksTitle)}</h3>
        <ol class="checks">{done}</ol>
        <fieldset class="check" hidden=move || next.get().is_none()>
            <legend>{move || next.get().map(|s| i18n.t_with(Msg::WorkshopCheckNext, &[("stage", i18n.t(stage_name(s)))])).unwrap_or_default()}</legend>
            <TextField id="check-by" label=Msg::WorkshopCheckBy value=by typing=TEXT error=error.into() />
            <TextArea id="check-note" label=Msg::WorkshopCheckNote value=note error=Signal::derive(|| None) />
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| check(true)>{i18n.msg(Msg::WorkshopCheckPass)}</button>
                <button type="button" on:click=move |_| check(false)>{i18n.msg(Msg::WorkshopCheckFail)}</button>
            </div>
        </fieldset>
    }
}

/// After the three checks: the wash, then ready with the pickup notice given.
#[component]
fn WashAndReady(visit: Memo<Option<Visit>>) -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let checked = Memo::new(move |_| visit.with(|v| v.as_ref().is_some_and(|v| v.next_check().is_none())));
    let washed = Memo::new(move |_| visit.with(|v| v.as_ref().and_then(|v| v.washed_at)));
    let channel = RwSignal::new(ContactChannel::Phone);
    let said = RwSignal::new(String::new());
    let ready = move |_| {
        let notice = CustomerContact { purpose: ContactPurpose::PickupNotice, at: Utc::now(), channel: channel.get_untracked(), said: said.get_untracked(), new_promised_at: None };
        file.record(VisitEvent::Ready { notice });
    };
    view! {
        <div hidden=move || !checked.get()>
            <p hidden=move || washed.get().is_none()>{move || washed.get().map(|at| i18n.t_with(Msg::WorkshopWashedAt, &[("when", &when(i18n, at))]))}</p>
            <button type="button" hidden=move || washed.get().is_some() on:click=move |_| file.record(VisitEvent::Washed { at: Utc::now() })>{i18n.msg(Msg::WorkshopWashed)}</button>
            <fieldset class="ready" hidden=move || washed.get().is_none()>
                <legend>{i18n.msg(Msg::WorkshopReadyTitle)}</legend>
                <ChannelChoice value=channel label=Msg::WorkshopChannel />
                <TextArea id="notice-said" label=Msg::WorkshopNoticeSaid value=said error=Signal::derive(|| None) />
                <button type="button" class="primary" on:click=ready>{i18n.msg(Msg::WorkshopReady)}</button>
            </fieldset>
        </div>
    }
}

/// Every word with the customer so far, and the form to record one: a progress call, or a delay
/// notice with its apology and a new promised time.
#[component]
fn Contacts(visit: Memo<Option<Visit>>, now: Memo<DateTime<Utc>>) -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let open = Memo::new(move |_| visit.with(|v| v.as_ref().is_some_and(|v| matches!(v.state, VisitState::InWorkshop | VisitState::QualityCheck | VisitState::Ready))));
    let purpose = RwSignal::new(ContactPurpose::Progress);
    // A late job's next word with the customer is the delay notice.
    let late = Memo::new(move |_| visit.with(|v| v.as_ref().is_some_and(|v| v.is_late(now.get()))));
    Effect::new(move |_| {
        if late.get() {
            purpose.set(ContactPurpose::Delay);
        }
    });
    let channel = RwSignal::new(ContactChannel::Phone);
    let said = RwSignal::new(String::new());
    let new_time = RwSignal::new(None::<DateTime<Utc>>);
    let shift = move |later: bool| {
        let from = new_time.get_untracked().or_else(|| visit.with_untracked(|v| v.as_ref().and_then(|v| v.promised_at)));
        new_time.set(from.map(|at| if later { at + PROMISE_STEP } else { at - PROMISE_STEP }));
    };
    let record = move |_| {
        let delay = purpose.get_untracked() == ContactPurpose::Delay;
        let contact = CustomerContact {
            purpose: purpose.get_untracked(),
            at: Utc::now(),
            channel: channel.get_untracked(),
            said: said.get_untracked(),
            new_promised_at: new_time.get_untracked().filter(|_| delay),
        };
        let before = visit.with_untracked(|v| v.as_ref().map(|v| v.contacts.len()));
        file.record(VisitEvent::Contacted { contact });
        if file.loaded.with_untracked(|l| l.as_ref().map(|l| l.visit.contacts.len())) != before {
            said.set(String::new());
            new_time.set(None);
        }
    };
    let list = move || {
        visit.with(|v| {
            v.as_ref()
                .map(|v| v.contacts.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|c| {
                    let head = format!("{} · {} · {}", when(i18n, c.at), i18n.t(purpose_name(c.purpose)), i18n.t(channel_name(c.channel)));
                    let moved = c.new_promised_at.map(|at| i18n.t_with(Msg::WorkshopNewPromised, &[("when", &when(i18n, at))]));
                    view! { <li><strong>{head}</strong>" — "{c.said}{moved.map(|m| view! { " · "{m} })}</li> }
                })
                .collect_view()
        })
    };
    let purposes = [ContactPurpose::Progress, ContactPurpose::Delay]
        .into_iter()
        .map(|choice| view! { <button type="button" class="choice" aria-pressed=aria(move || purpose.get() == choice) on:click=move |_| purpose.set(choice)>{i18n.msg(purpose_name(choice))}</button> })
        .collect_view();
    let shown_time = text(move || new_time.get().map(|at| when(i18n, at)).unwrap_or_else(|| i18n.t(Msg::WorkshopPromiseKept).to_owned()));
    view! {
        <h3>{i18n.msg(Msg::WorkshopContactsTitle)}</h3>
        <ul class="contacts">{list}</ul>
        <fieldset class="contact" hidden=move || !open.get()>
            <legend>{i18n.msg(Msg::WorkshopContactTitle)}</legend>
            <div class="choices" role="group" aria-label=i18n.msg(Msg::WorkshopPurpose)>{purposes}</div>
            <ChannelChoice value=channel label=Msg::WorkshopChannel />
            <TextArea id="contact-said" label=Msg::WorkshopSaid value=said error=Signal::derive(|| None) />
            <div hidden=move || purpose.get() != ContactPurpose::Delay>
                <p>{i18n.msg(Msg::WorkshopNewPromisedLabel)}" "<strong>{shown_time}</strong></p>
                <div class="actions" role="group" aria-label=i18n.msg(Msg::WorkshopNewPromisedLabel)>
                    <button type="button" on:click=move |_| shift(false)>{i18n.msg(Msg::OrderEarlier)}</button>
                    <button type="button" on:click=move |_| shift(true)>{i18n.msg(Msg::OrderLater)}</button>
                </div>
            </div>
            <button type="button" class="primary" on:click=record>{i18n.msg(Msg::WorkshopRecordContact)}</button>
        </fieldset>
    }
}
