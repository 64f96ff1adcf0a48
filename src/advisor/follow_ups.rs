//! `/advisor/follow-ups` (DOMAIN.md steps 12-13): after pickup, the calls to make (the first 3
//! days to a week after delivery, the second within 7 days of the first, by
//! `lane_domain::follow_up::next_call`), each logged with its outcome; the complaints a call
//! opened, with their 2-day escalation and 72-hour proposal deadlines and their steps; and the
//! customers' classes with the next contact each class calls for.
//!
//! Everything is read from the tablet's records and saved as the rest of the tablet saves: the
//! visit is changed by the domain's own `Visit::record` (a refusal is shown, nothing saved), then
//! stored with its `Change` in one transaction, so it works offline and waits in the outbox.

use super::workshop::when;
use crate::fields::{aria, text};
use crate::i18n::{use_i18n, I18n, Msg};
use crate::pages::DeviceGate;
use crate::save_failure::SaveFailure;
use crate::store::StoreError;
use crate::sync::{use_sync, SyncEngine};
use chrono::{DateTime, Utc};
use lane_domain::customer::{Customer, PersonName};
use lane_domain::device::DeviceKind;
use lane_domain::follow_up::{next_call, CallOutcome, Complaint, ComplaintStep, CustomerClass, FollowUpCall, NextCall};
use lane_domain::sync::Change;
use lane_domain::vehicle::Vehicle;
use lane_domain::visit::{Visit, VisitError, VisitState};
use lane_domain::workshop::{EventError, VisitEvent};
use leptos::prelude::*;
use std::collections::HashMap;

/// The `/advisor/follow-ups` route: the tablet's, behind set-up and sign-in.
#[component]
pub fn AdvisorFollowUps() -> impl IntoView {
    view! {
        <crate::layout::AdvisorLayout>
            <DeviceGate kind=DeviceKind::Tablet>
                <FollowUpsPage />
            </DeviceGate>
        </crate::layout::AdvisorLayout>
    }
}

/// The delivered visits and who they were for, as the tablet holds them.
#[derive(Clone, Default)]
struct Files {
    visits: Vec<Visit>,
    customers: Vec<Customer>,
    vehicles: Vec<Vehicle>,
}

impl Files {
    fn name(&self, visit: &Visit) -> String {
        self.customers.iter().find(|c| c.id == visit.customer).map(|c| c.name.as_str().to_owned()).unwrap_or_default()
    }

    fn plate(&self, visit: &Visit) -> String {
        self.vehicles.iter().find(|v| v.id == visit.vehicle).map(|v| v.plate.as_str().to_owned()).unwrap_or_default()
    }
}

async fn load(sync: &SyncEngine) -> Result<Files, StoreError> {
    let store = sync.store().await?;
    let visits = store.records::<Visit>("visit").await?.into_iter().filter(|v| v.state == VisitState::Delivered && v.delivered_at.is_some()).collect();
    Ok(Files { visits, customers: store.records::<Customer>("customer").await?, vehicles: store.records::<Vehicle>("vehicle").await? })
}

/// What is typed into the page's forms, by form and visit. The lists are drawn again whenever the
/// tablet's records change (a pull, a save), and what someone is typing must outlive that.
#[derive(Clone, Copy)]
struct Drafts(StoredValue<HashMap<String, ArcRwSignal<String>>>);

impl Drafts {
    fn of(key: String) -> RwSignal<String> {
        let drafts = expect_context::<Drafts>();
        let draft = drafts.0.try_update_value(|all| all.entry(key).or_insert_with(|| ArcRwSignal::new(String::new())).clone());
        draft.unwrap_or_else(|| ArcRwSignal::new(String::new())).into()
    }
}

#[component]
fn FollowUpsPage() -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let device = sync.device();
    let files = RwSignal::new(None::<Files>);
    let saved = RwSignal::new(false);
    provide_context(PageSaved(saved));
    provide_context(Drafts(StoredValue::new(HashMap::new())));
    // Read again after every pull and every save here.
    Effect::new(move |_| {
        device.records.track();
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(read) = load(&sync).await {
                files.try_set(Some(read));
            }
        });
    });
    let ticks = super::board::clock();
    let now = Signal::derive(move || DateTime::<Utc>::from_timestamp_millis(ticks.get() as i64).unwrap_or_default());

    let calls = Signal::derive(move || {
        let files = files.get().unwrap_or_default();
        let mut due: Vec<(String, DateTime<Utc>, NextCall, String, String)> = files
            .visits
            .iter()
            .filter_map(|v| {
                let delivered = v.delivered_at?;
                Some((v.id.to_string(), delivered, next_call(delivered, &v.follow_up)?, files.name(v), files.plate(v)))
            })
            .collect();
        due.sort_by_key(|(_, _, call, _, _)| call.due);
        due
    });
    let complaints = Signal::derive(move || {
        let files = files.get().unwrap_or_default();
        let open: Vec<(String, Complaint, String, String)> =
            files.visits.iter().filter_map(|v| v.complaint.clone().filter(|c| !c.resolved()).map(|c| (v.id.to_string(), c, files.name(v), files.plate(v)))).collect();
        open
    });
    // Customers with a car delivered, and when the dealership last spoke to them.
    let customers = Signal::derive(move || {
        let files = files.get().unwrap_or_default();
        let list: Vec<(Customer, Option<DateTime<Utc>>, String)> = files
            .customers
            .iter()
            .filter_map(|c| {
                let theirs: Vec<&Visit> = files.visits.iter().filter(|v| v.customer == c.id).collect();
                let first = theirs.first()?;
                let last = theirs.iter().filter_map(|v| v.last_contact()).max();
                Some((c.clone(), last, files.plate(first)))
            })
            .collect();
        list
    });

    view! {
        <section class="fu-page">
            <h1>{i18n.msg(Msg::FollowUpsTitle)}</h1>
            <p>{i18n.msg(Msg::FollowUpsIntro)}</p>
            <p><a class="button" href="/advisor">{i18n.msg(Msg::FollowUpsBack)}</a></p>
            <p class="fu-saved" role="status">{text(move || if saved.get() { i18n.t(Msg::FollowUpsSaved).to_owned() } else { String::new() })}</p>

            // One reactive block for the three lists: a save changes the files they all come
            // from, and one block costs the bundle less than three.
            {move || {
                let (calls, complaints, customers) = (calls.get(), complaints.get(), customers.get());
                let (no_calls, no_complaints, no_customers) = (!calls.is_empty(), !complaints.is_empty(), !customers.is_empty());
                let calls = calls.into_iter().map(|(visit, delivered, call, name, plate)| view! { <CallItem visit delivered call name plate now /> }).collect_view();
                let complaints = complaints.into_iter().map(|(visit, complaint, name, plate)| view! { <ComplaintItem visit complaint name plate now /> }).collect_view();
                let customers = customers.into_iter().map(|(customer, last, plate)| view! { <CustomerItem customer last plate now /> }).collect_view();
                view! {
                    <section aria-labelledby="fu-calls">
                        <h2 id="fu-calls">{i18n.msg(Msg::FollowUpsCallsTitle)}</h2>
                        <p class="quiet" hidden=no_calls>{i18n.msg(Msg::FollowUpsNoCalls)}</p>
                        <ul class="fu-list">{calls}</ul>
                    </section>
                    <section aria-labelledby="fu-complaints">
                        <h2 id="fu-complaints">{i18n.msg(Msg::FollowUpsComplaintsTitle)}</h2>
                        <p class="quiet" hidden=no_complaints>{i18n.msg(Msg::FollowUpsNoComplaints)}</p>
                        <ul class="fu-list">{complaints}</ul>
                    </section>
                    <section aria-labelledby="fu-customers">
                        <h2 id="fu-customers">{i18n.msg(Msg::FollowUpsCustomersTitle)}</h2>
                        <p>{i18n.msg(Msg::FollowUpsCustomersIntro)}</p>
                        <p class="quiet" hidden=no_customers>{i18n.msg(Msg::FollowUpsNoCustomers)}</p>
                        <ul class="fu-list">{customers}</ul>
                    </section>
                }
            }}
        </section>
    }
}

/// Why something was not recorded.
#[derive(Clone, PartialEq)]
enum Refused {
    Outcome,
    Name,
    SignedOut,
    Event(EventError),
    Other,
}

fn refused_text(i18n: I18n, refused: &Refused) -> String {
    match refused {
        Refused::Outcome => i18n.t(Msg::FollowUpsErrorOutcome).to_owned(),
        Refused::Name => i18n.t(Msg::FollowUpsErrorName).to_owned(),
        Refused::SignedOut => i18n.t(Msg::FollowUpsErrorSignedOut).to_owned(),
        Refused::Event(EventError::Text { length: 0, .. }) => i18n.t(Msg::FollowUpsErrorNoteRequired).to_owned(),
        Refused::Event(EventError::Text { max, length }) => i18n.t_with(Msg::FollowUpsErrorTooLong, &[("max", &max.to_string()), ("length", &length.to_string())]),
        Refused::Event(EventError::BeforeItsTime) => i18n.t(Msg::FollowUpsErrorBefore).to_owned(),
        Refused::Event(EventError::ComplaintOpen) => i18n.t(Msg::FollowUpsErrorComplaintOpen).to_owned(),
        Refused::Event(EventError::ComplaintClosed) => i18n.t(Msg::FollowUpsErrorComplaintClosed).to_owned(),
        Refused::Event(_) | Refused::Other => i18n.t(Msg::FollowUpsErrorRefused).to_owned(),
    }
}

/// What a form shows after trying to save: a refusal, a store failure, or that it was saved.
#[derive(Clone, Copy)]
struct Outcome {
    refused: RwSignal<Option<Refused>>,
    failure: RwSignal<Option<StoreError>>,
    saved: RwSignal<bool>,
}

/// Whether something was saved on this page: said once, at its top, since a saved item is
/// rebuilt from the store (and so starts afresh).
#[derive(Clone, Copy)]
struct PageSaved(RwSignal<bool>);

impl Outcome {
    fn new() -> Outcome {
        let saved = use_context::<PageSaved>().map_or_else(|| RwSignal::new(false), |page| page.0);
        Outcome { refused: RwSignal::new(None), failure: RwSignal::new(None), saved }
    }

    fn refuse(self, refused: Refused) {
        self.saved.try_set(false);
        self.refused.try_set(Some(refused));
    }
}

/// The lines under a form: why it was refused, a store failure, or "saved on this tablet".
#[component]
fn OutcomeLines(outcome: Outcome, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let why = text(move || outcome.refused.get().map(|r| refused_text(i18n, &r)).unwrap_or_default());
    view! {
        <p id=id class="error" role="alert">{why}</p>
        <SaveFailure failure=outcome.failure />
    }
}

/// The signed-in advisor, who makes the call or takes the step.
fn advisor(sync: &SyncEngine) -> Option<PersonName> {
    sync.device().session.get_untracked().and_then(|s| PersonName::parse(&s.name).ok())
}

/// Records `event` on the visit as the domain does (`Visit::record` on the tablet's copy; a
/// refusal is shown and nothing saved), then saves the visit with its change in one transaction.
/// The draft the event was typed in is emptied once it is saved.
fn record(sync: SyncEngine, visit: String, event: VisitEvent, outcome: Outcome, draft: RwSignal<String>) {
    outcome.refused.set(None);
    wasm_bindgen_futures::spawn_local(async move {
        let store = match sync.store().await {
            Ok(store) => store,
            Err(error) => return drop(outcome.failure.try_set(Some(error))),
        };
        let mut record = match store.record::<Visit>("visit", &visit).await {
            Ok(Some(record)) => record,
            Ok(None) => return outcome.refuse(Refused::Other),
            Err(error) => return drop(outcome.failure.try_set(Some(error))),
        };
        if let Err(error) = record.record(event.clone()) {
            return outcome.refuse(match error {
                VisitError::Event(error) => Refused::Event(error),
                _ => Refused::Other,
            });
        }
        let change = Change::RecordVisit { visit: record.id.clone(), event };
        match sync.save("visit", &visit, &record, change).await {
            Ok(_) => {
                draft.try_set(String::new());
                outcome.failure.try_set(None);
                outcome.saved.try_set(true);
                // The lists read the store again, offline too.
                sync.device().records.try_update(|n| *n = n.wrapping_add(1));
            }
            Err(error) => drop(outcome.failure.try_set(Some(error))),
        }
    });
}

/// One call to make: who, which call, its window, and the form to log it.
#[component]
fn CallItem(visit: String, delivered: DateTime<Utc>, call: NextCall, name: String, plate: String, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let id = visit;
    let chosen = RwSignal::new(None::<CallOutcome>);
    let note = Drafts::of(format!("note-{id}"));
    let outcome = Outcome::new();
    let title = format!("{name} · {plate}");
    let number = if call.number == 1 { Msg::FollowUpsCallFirst } else { Msg::FollowUpsCallSecond };
    let overdue = aria(move || now.get() > call.due);
    let status = text(move || {
        let n = now.get();
        i18n.t(if n > call.due {
            Msg::FollowUpsStatusOverdue
        } else if n >= call.from {
            Msg::FollowUpsStatusDue
        } else {
            Msg::FollowUpsStatusComing
        })
        .to_owned()
    });
    let window = text(move || i18n.t_with(Msg::FollowUpsWindow, &[("from", &when(i18n, call.from)), ("due", &when(i18n, call.due))]));
    let delivered = i18n.t_with(Msg::FollowUpsDelivered, &[("at", &when(i18n, delivered))]);
    let (note_id, error_id, group) = (format!("fu-note-{id}"), format!("fu-error-{id}"), format!("fu-outcome-{id}"));
    let log = {
        let id = id.clone();
        move |_| {
            let sync = sync.clone();
            let Some(picked) = chosen.get_untracked() else { return outcome.refuse(Refused::Outcome) };
            let Some(by) = advisor(&sync) else { return outcome.refuse(Refused::SignedOut) };
            let event = VisitEvent::FollowUpCalled { call: FollowUpCall { at: Utc::now(), by, outcome: picked, note: note.get_untracked() } };
            // The list is read again once saved, and the call shows as its next one.
            record(sync, id.clone(), event, outcome, note);
        }
    };
    let options = CallOutcome::ALL
        .into_iter()
        .map(|option| {
            let label = match option {
                CallOutcome::Satisfied => Msg::FollowUpsSatisfied,
                CallOutcome::NoAnswer => Msg::FollowUpsNoAnswer,
                CallOutcome::Complaint => Msg::FollowUpsComplaint,
            };
            let group = group.clone();
            view! {
                <label class="fu-outcome">
                    <input type="radio" name=group on:change=move |_| chosen.set(Some(option)) />
                    <span>{i18n.msg(label)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <li class="fu-item" data-overdue=overdue>
            <article aria-label=title.clone()>
                <h3>{title.clone()}</h3>
                <p class="fu-when">
                    <span class="fu-status" data-overdue=overdue>{status}</span>
                    <strong>{i18n.msg(number)}</strong>": "{window}
                </p>
                <p class="quiet">{delivered}</p>
                <div class="fu-form">
                    <fieldset class="fu-outcomes">
                        <legend>{i18n.msg(Msg::FollowUpsOutcome)}</legend>
                        {options}
                    </fieldset>
                    <label for=note_id.clone()>{i18n.msg(Msg::FollowUpsNote)}</label>
                    <textarea
                        id=note_id
                        rows="2"
                        aria-invalid=aria(move || outcome.refused.with(Option::is_some))
                        aria-describedby=error_id.clone()
                        prop:value=note
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                    <OutcomeLines outcome id=error_id />
                    <button type="button" class="primary" on:click=log>{i18n.msg(Msg::FollowUpsLog)}</button>
                </div>
            </article>
        </li>
    }
}

/// An open complaint: what the customer said, its two deadlines, and a form for each step left.
#[component]
fn ComplaintItem(visit: String, complaint: Complaint, name: String, plate: String, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    let title = format!("{name} · {plate}");
    let opened = i18n.t_with(Msg::FollowUpsComplaintOpened, &[("at", &when(i18n, complaint.opened_at)), ("summary", &complaint.summary)]);
    let escalated = complaint.steps.iter().find_map(|s| match s {
        ComplaintStep::Escalated { at, to } => Some((*at, to.as_str().to_owned())),
        _ => None,
    });
    let (escalation_due, proposal_due) = (complaint.escalation_due(), complaint.proposal_due());
    let escalation = match &escalated {
        Some((at, to)) => view! { <DueLine said=i18n.t_with(Msg::FollowUpsEscalated, &[("name", to), ("at", &when(i18n, *at))]) now /> },
        None => view! { <DueLine said=i18n.t_with(Msg::FollowUpsEscalationDue, &[("due", &when(i18n, escalation_due))]) due=escalation_due now /> },
    };
    let proposal = match complaint.proposed() {
        Some(at) => view! { <DueLine said=i18n.t_with(Msg::FollowUpsProposed, &[("at", &when(i18n, at))]) now /> },
        None => view! { <DueLine said=i18n.t_with(Msg::FollowUpsProposalDue, &[("due", &when(i18n, proposal_due))]) due=proposal_due now /> },
    };
    let forms = [
        (escalated.is_none()).then_some(Step::Escalate),
        complaint.proposed().is_none().then_some(Step::Propose),
        Some(Step::Resolve),
    ]
    .into_iter()
    .flatten()
    .map(|step| view! { <StepForm visit=visit.clone() step /> })
    .collect_view();
    view! {
        <li class="fu-item">
            <article aria-label=title.clone()>
                <h3>{title.clone()}</h3>
                <p>{opened}</p>
                {escalation}
                {proposal}
                {forms}
            </article>
        </li>
    }
}

/// A deadline in words, marked and prefixed "Overdue" once it has passed.
#[component]
fn DueLine(said: String, #[prop(optional)] due: Option<DateTime<Utc>>, #[prop(optional)] quiet: bool, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    let late = move || due.is_some_and(|due| now.get() > due);
    let prefix = text(move || if late() { format!("{}: ", i18n.t(Msg::FollowUpsStatusOverdue)) } else { String::new() });
    // Without a due time it says what was done, or (quiet) what is still to do.
    let class = match (due, quiet) {
        (Some(_), _) => "fu-deadline",
        (None, true) => "quiet",
        (None, false) => "fu-done",
    };
    view! {
        <p class=class data-overdue=aria(late)>
            {prefix}
            {said}
        </p>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Escalate,
    Propose,
    Resolve,
}

/// One step of a complaint: who it went to, the proposal, or how it was resolved.
#[component]
fn StepForm(visit: String, step: Step) -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let kind = match step {
        Step::Escalate => "escalate",
        Step::Propose => "propose",
        Step::Resolve => "resolve",
    };
    let value = Drafts::of(format!("{kind}-{visit}"));
    let outcome = Outcome::new();
    let (field_id, error_id) = (format!("fu-{kind}-{visit}"), format!("fu-{kind}-error-{visit}"));
    let (label, button) = match step {
        Step::Escalate => (Msg::FollowUpsEscalateTo, Msg::FollowUpsEscalate),
        Step::Propose => (Msg::FollowUpsProposal, Msg::FollowUpsPropose),
        Step::Resolve => (Msg::FollowUpsResolution, Msg::FollowUpsResolve),
    };
    let save = move |_| {
        let sync = sync.clone();
        if advisor(&sync).is_none() {
            return outcome.refuse(Refused::SignedOut);
        }
        let (at, text) = (Utc::now(), value.get_untracked());
        let step = match step {
            Step::Escalate => match PersonName::parse(&text) {
                Ok(to) => ComplaintStep::Escalated { at, to },
                Err(_) => return outcome.refuse(Refused::Name),
            },
            Step::Propose => ComplaintStep::Proposed { at, proposal: text },
            Step::Resolve => ComplaintStep::Resolved { at, note: text },
        };
        record(sync, visit.clone(), VisitEvent::Complaint { step }, outcome, value);
    };
    let invalid = aria(move || outcome.refused.with(Option::is_some));
    // One kind of field for the three (a name fits on the first of its rows).
    let input = view! {
        <textarea id=field_id.clone() rows=if step == Step::Escalate { "1" } else { "2" } aria-invalid=invalid aria-describedby=error_id.clone() prop:value=value on:input=move |ev| value.set(event_target_value(&ev))></textarea>
    };
    view! {
        <div class="fu-form">
            <label for=field_id>{i18n.msg(label)}</label>
            {input}
            <OutcomeLines outcome id=error_id />
            <button type="button" on:click=save>{i18n.msg(button)}</button>
        </div>
    }
}

/// A customer's class, chosen from three, and the next contact it calls for.
#[component]
fn CustomerItem(customer: Customer, last: Option<DateTime<Utc>>, plate: String, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let name = customer.name.as_str().to_owned();
    let class = customer.class;
    let id = customer.id.to_string();
    let outcome = Outcome::new();
    let next = class.zip(last).map(|(class, last)| class.next_contact_due(last));
    let next_line = match next {
        Some(due) => view! { <DueLine said=i18n.t_with(Msg::FollowUpsNextContact, &[("due", &when(i18n, due))]) due now /> },
        None => view! { <DueLine said=i18n.t(Msg::FollowUpsUnclassed).to_owned() quiet=true now /> },
    };
    let choices = CustomerClass::ALL
        .into_iter()
        .map(|option| {
            let (sync, id) = (sync.clone(), id.clone());
            let label = match option {
                CustomerClass::A => Msg::FollowUpsClassA,
                CustomerClass::B => Msg::FollowUpsClassB,
                CustomerClass::C => Msg::FollowUpsClassC,
            };
            let choose = move |_| classify(sync.clone(), id.clone(), option, outcome);
            view! { <button type="button" aria-pressed=if class == Some(option) { "true" } else { "false" } on:click=choose>{i18n.msg(label)}</button> }
        })
        .collect_view();
    let legend = i18n.t_with(Msg::FollowUpsClassOf, &[("name", &name)]);
    let title = format!("{name} · {plate}");
    view! {
        <li class="fu-item">
            <article aria-label=title.clone()>
                <h3>{title.clone()}</h3>
                <fieldset class="fu-classes">
                    <legend>{legend}</legend>
                    {choices}
                </fieldset>
                {next_line}
                <OutcomeLines outcome id=format!("fu-class-error-{id}") />
            </article>
        </li>
    }
}

/// Sets the customer's class on the tablet's copy and saves it with its change.
fn classify(sync: SyncEngine, id: String, class: CustomerClass, outcome: Outcome) {
    outcome.refused.set(None);
    wasm_bindgen_futures::spawn_local(async move {
        let store = match sync.store().await {
            Ok(store) => store,
            Err(error) => return drop(outcome.failure.try_set(Some(error))),
        };
        let mut customer = match store.record::<Customer>("customer", &id).await {
            Ok(Some(customer)) => customer,
            Ok(None) => return outcome.refuse(Refused::Other),
            Err(error) => return drop(outcome.failure.try_set(Some(error))),
        };
        customer.class = Some(class);
        let change = Change::ClassifyCustomer { customer: customer.id.clone(), class: Some(class) };
        match sync.save("customer", &id, &customer, change).await {
            Ok(_) => {
                outcome.failure.try_set(None);
                outcome.saved.try_set(true);
                sync.device().records.try_update(|n| *n = n.wrapping_add(1));
            }
            Err(error) => drop(outcome.failure.try_set(Some(error))),
        }
    });
}
