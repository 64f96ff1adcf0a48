//! `/advisor/visits/:id`: one visit's file and its drop-off steps (DOMAIN.md steps 3-5): inquiry,
//! walk-around, readings, belongings and key, the order, and the customer's review and signature.
//!
//! The visit is read from the tablet's store (the device's own edits over the server's copy), and
//! every step saves one field with [`VisitFile::edit`]: the domain's `Visit::apply` checks it here
//! exactly as the server will, then the record and its change are saved in one transaction. Once
//! the customer has signed, the steps give way to the signed order, read-only.

use super::belongings::BelongingsStep;
use super::inquiry::InquiryStep;
use super::order::{use_service_types, OrderStep, PricingBasisChoice};
use super::readings::ReadingsStep;
use super::review::{ReviewStep, SignedOrder};
use super::added_work::AddedWorkTab;
use super::pickup::PickupTab;
use super::walkaround::WalkaroundStep;
use super::workshop::WorkshopTab;
use crate::fields::aria;
use crate::i18n::{use_i18n, Msg};
use crate::save_failure::SaveFailure;
use crate::pages::DeviceGate;
use crate::store::{LocalRecord, StoreError};
use crate::sync::{use_sync, SyncEngine};
use lane_domain::customer::Customer;
use lane_domain::device::DeviceKind;
use lane_domain::ids::ServiceTypeId;
use lane_domain::readings::Odometer;
use lane_domain::signature::{DocumentKind, Signature};
use lane_domain::sync::Change;
use lane_domain::vehicle::Vehicle;
use lane_domain::jobs::JobError;
use lane_domain::pickup::PickupError;
use lane_domain::readings::ReadingError;
use lane_domain::visit::{Visit, VisitEdit, VisitError, VisitState};
use lane_domain::workshop::{EventError, VisitEvent};
use lane_domain::walkaround::DamageMark;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AdvisorVisit() -> impl IntoView {
    view! {
        <crate::layout::AdvisorLayout>
            <DeviceGate kind=DeviceKind::Tablet>
                <VisitPage />
            </DeviceGate>
        </crate::layout::AdvisorLayout>
    }
}

/// Everything the steps need, read from the store together.
#[derive(Clone)]
pub struct Loaded {
    pub visit: Visit,
    /// The server's version of the visit this copy was made from: the `base` of an edit.
    pub base: u64,
    pub customer: Customer,
    pub vehicle: Vehicle,
    /// The services booked, offered as the order's first lines.
    pub booked: Vec<ServiceTypeId>,
    /// The car's previous visits, newest first.
    pub past: Vec<Visit>,
    /// The customer's signature on the drop-off order's current version, once given.
    pub signature: Option<Signature>,
    /// Every signature given on this visit, of any document.
    pub signatures: Vec<Signature>,
}

impl Loaded {
    /// The highest reading before this visit: the vehicle's record, or a past visit's.
    pub fn last_known(&self) -> Option<Odometer> {
        self.past.iter().filter_map(|v| v.drop_off.as_ref().map(|r| r.odometer)).chain(self.vehicle.last_odometer).max_by_key(|o| o.metres())
    }

    pub fn signed(&self) -> bool {
        self.signature.is_some() || self.visit.order_signed()
    }
}

/// Reads the visit and what goes with it from the store.
pub async fn load(sync: &SyncEngine, id: &str) -> Result<Option<Loaded>, StoreError> {
    let store = sync.store().await?;
    let Some((visit, base)) = store.versioned::<Visit>("visit", id).await? else { return Ok(None) };
    let customer = store.record::<Customer>("customer", visit.customer.as_str()).await?;
    let vehicle = store.record::<Vehicle>("vehicle", visit.vehicle.as_str()).await?;
    let (Some(customer), Some(vehicle)) = (customer, vehicle) else { return Ok(None) };
    let booked = match &visit.appointment {
        Some(appointment) => store
            .record::<lane_domain::appointment::Appointment>("appointment", appointment.as_str())
            .await?
            .map(|a| a.services.as_slice().to_vec())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut past: Vec<Visit> = store.records::<Visit>("visit").await?.into_iter().filter(|v| v.vehicle == visit.vehicle && v.id != visit.id).collect();
    past.sort_by(|a, b| b.checked_in_at.cmp(&a.checked_in_at));
    let signatures: Vec<Signature> = store.records::<Signature>("signature").await?.into_iter().filter(|s| s.document.visit == visit.id).collect();
    let signature = signatures.iter().find(|s| s.document.kind == DocumentKind::DropOffOrder && s.document.version == visit.order_version).cloned();
    Ok(Some(Loaded { visit, base, customer, vehicle, booked, past, signature, signatures }))
}

/// The open visit as context for its steps: read, and changed one field at a time.
#[derive(Clone, PartialEq)]
pub enum Problem {
    /// The domain's rules refused the change.
    Rule(Msg),
    Store(StoreError),
}

#[derive(Clone, Copy)]
pub struct VisitFile {
    pub loaded: RwSignal<Option<Loaded>>,
    /// Why the last change was not saved.
    pub problem: RwSignal<Option<Problem>>,
    /// Held here because edits come from event handlers, where there is no context to read.
    sync: StoredValue<SyncEngine>,
    /// Saves not yet committed: until they are, the store holds an older state than the screen.
    saving: StoredValue<u32>,
    /// Changes made on this screen so far: a read of the store begun before one is stale.
    changes: StoredValue<u64>,
}

impl VisitFile {
    /// Checks `edit` by the domain's rules and saves it; the screen shows the new state only
    /// once it is stored on the tablet.
    pub fn edit(self, edit: VisitEdit) {
        let Some(loaded) = self.loaded.get_untracked() else { return };
        let mut visit = loaded.visit.clone();
        if let Err(error) = visit.apply(edit.clone(), loaded.last_known()) {
            self.problem.set(Some(Problem::Rule(refusal(&error))));
            return;
        }
        let change = Change::EditVisit { visit: visit.id.clone(), base: loaded.base, edit };
        self.store(visit, change);
    }

    /// Records a fact after drop-off (`Visit::record`), checked here as the server will.
    pub fn record(self, event: VisitEvent) {
        let Some(loaded) = self.loaded.get_untracked() else { return };
        let mut visit = loaded.visit.clone();
        if let Err(error) = visit.record(event.clone()) {
            self.problem.set(Some(Problem::Rule(refusal(&error))));
            return;
        }
        let change = Change::RecordVisit { visit: visit.id.clone(), event };
        self.store(visit, change);
    }

    /// Saves the customer's signature with what it did to the visit (`after`), as one change: the
    /// screen shows both once they are stored. `done` runs when the save is over, either way.
    pub fn sign(self, signature: Signature, after: Visit, done: impl FnOnce() + 'static) {
        let sync = self.sync.get_value();
        let records = [LocalRecord::of("signature", signature.id.as_str(), &signature), LocalRecord::of("visit", after.id.as_str(), &after)];
        self.saving.update_value(|n| *n += 1);
        self.changes.update_value(|n| *n += 1);
        wasm_bindgen_futures::spawn_local(async move {
            let saved = match records.into_iter().collect::<Result<Vec<_>, _>>() {
                Ok(records) => sync.save_together(&records, Change::Sign(signature.clone())).await,
                Err(error) => Err(error),
            };
            self.saving.try_update_value(|n| *n -= 1);
            match saved {
                Ok(_) => {
                    self.loaded.try_update(|l| {
                        if let Some(l) = l {
                            if signature.document.kind == DocumentKind::DropOffOrder {
                                l.signature = Some(signature.clone());
                            }
                            l.signatures.push(signature);
                            l.visit = after;
                        }
                    });
                    self.problem.try_set(None);
                }
                Err(error) => {
                    self.problem.try_set(Some(Problem::Store(error)));
                }
            }
            done();
        });
    }

    /// Marks the walk-around done: the order can then be shown to the customer for signing.
    pub fn walkaround_done(self) {
        let Some(loaded) = self.loaded.get_untracked() else { return };
        if loaded.visit.state != VisitState::CheckedIn {
            return;
        }
        let mut visit = loaded.visit.clone();
        visit.state = VisitState::WalkAroundDone;
        let change = Change::AdvanceVisit { visit: visit.id.clone(), to: VisitState::WalkAroundDone };
        self.store(visit, change);
    }

    /// Reopens the signed order as its next version, for the customer to sign again.
    pub fn amend(self) {
        let Some(loaded) = self.loaded.get_untracked() else { return };
        let mut visit = loaded.visit.clone();
        if let Err(error) = visit.amend_order() {
            self.problem.set(Some(Problem::Rule(refusal(&error))));
            return;
        }
        let change = Change::AmendOrder { visit: visit.id.clone() };
        self.loaded.update(|l| {
            if let Some(l) = l {
                l.signature = None;
            }
        });
        self.store(visit, change);
    }

    /// Shows the new state at once, so the next edit (often a moment later: a line, then the
    /// estimate derived from it) builds on it, and saves it; saves go to the outbox in the order
    /// they were made. If saving fails, the screen reads the store again.
    fn store(self, visit: Visit, change: Change) {
        let sync = self.sync.get_value();
        let id = visit.id.to_string();
        self.loaded.update(|loaded| {
            if let Some(loaded) = loaded {
                loaded.visit = visit.clone();
            }
        });
        self.saving.update_value(|n| *n += 1);
        self.changes.update_value(|n| *n += 1);
        wasm_bindgen_futures::spawn_local(async move {
            let saved = sync.save("visit", &id, &visit, change).await;
            self.saving.try_update_value(|n| *n -= 1);
            match saved {
                Ok(_) => {
                    self.problem.try_set(None);
                }
                Err(error) => {
                    self.problem.try_set(Some(Problem::Store(error)));
                    if let Ok(Some(stored)) = load(&sync, &id).await {
                        self.loaded.try_set(Some(stored));
                    }
                }
            }
        });
    }
}

pub fn use_visit() -> VisitFile {
    expect_context::<VisitFile>()
}

/// A refusal by the domain's rules, for the advisor. The steps check their own fields before
/// saving where they can, so what is left is mostly the visit's state and order of steps.
pub fn refusal(error: &VisitError) -> Msg {
    match error {
        VisitError::OrderSigned { .. } | VisitError::SignedLineChanged { .. } => Msg::TabletVisitSigned,
        VisitError::Delivered => Msg::TabletVisitDelivered,
        VisitError::NotAmendable { .. } => Msg::TabletVisitNotAmendable,
        VisitError::Event(error) => event_refusal(error),
        VisitError::Reading(ReadingError::PickupBelowDropOff { .. }) => Msg::PickupErrorBelowDropOff,
        VisitError::Reading(ReadingError::DistanceUnexplained { .. }) => Msg::PickupErrorDistanceUnexplained,
        VisitError::NoDropOffReadings => Msg::PickupErrorNoDropOff,
        VisitError::Pickup(error) => pickup_refusal(error),
        VisitError::Job { error: JobError::AlreadyDecided, .. } => Msg::OrderErrorAlreadyDecided,
        VisitError::Job { error: JobError::PhoneAnswerUnnoted, .. } => Msg::OrderErrorPhoneUnnoted,
        VisitError::ApprovalIsSigned => Msg::AddedErrorApprovalIsSigned,
        VisitError::NoAddedWorkPending => Msg::AddedErrorNothingPending,
        VisitError::AddedWork(_) => Msg::AddedErrorNotInWorkshop,
        _ => Msg::TabletVisitRefused,
    }
}

fn event_refusal(error: &EventError) -> Msg {
    match error {
        EventError::CheckOutOfOrder { .. } => Msg::WorkshopErrorCheckOrder,
        EventError::ChecksIncomplete => Msg::WorkshopErrorChecksIncomplete,
        EventError::NotWashed => Msg::WorkshopErrorNotWashed,
        EventError::Text { length: 0, .. } => Msg::WorkshopErrorSaidEmpty,
        EventError::Text { .. } => Msg::WorkshopErrorSaidLong,
        EventError::FailureUnexplained => Msg::WorkshopErrorFailureUnexplained,
        EventError::BeforeItsTime => Msg::WorkshopErrorBeforeItsTime,
        EventError::ComplaintOpen => Msg::WorkshopErrorComplaintOpen,
        EventError::ComplaintClosed => Msg::WorkshopErrorComplaintClosed,
        EventError::WrongState { .. } | EventError::NotAPickupNotice | EventError::NoComplaint => Msg::TabletVisitRefused,
    }
}

pub fn pickup_refusal(error: &PickupError) -> Msg {
    match error {
        PickupError::NotReady { .. } => Msg::PickupErrorNotReady,
        PickupError::NoReadings => Msg::PickupErrorNoReadings,
        PickupError::AddedWorkPending => Msg::PickupErrorAddedWorkPending,
        PickupError::BelongingNotReturned { .. } => Msg::PickupErrorBelongings,
        PickupError::KeysNotReturned => Msg::PickupErrorKeys,
        PickupError::NotOnTheList { .. } => Msg::PickupErrorNotOnTheList,
        PickupError::MarkTwice => Msg::PickupErrorMarkTwice,
        PickupError::NoEstimate | PickupError::Total(_) => Msg::TabletVisitRefused,
    }
}

/// Why the last change was not saved, if it was not.
#[component]
pub fn ProblemLine() -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    move || match file.problem.get() {
        None => ().into_any(),
        Some(Problem::Rule(msg)) => view! { <p class="error" role="alert">{i18n.msg(msg)}</p> }.into_any(),
        Some(Problem::Store(error)) => view! { <SaveFailure failure=Signal::stored(Some(error)) /> }.into_any(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Inquiry,
    Walkaround,
    Readings,
    Belongings,
    Order,
    Review,
}

const TABS: [(Tab, Msg); 6] = [
    (Tab::Inquiry, Msg::TabletTabInquiry),
    (Tab::Walkaround, Msg::TabletTabWalkaround),
    (Tab::Readings, Msg::TabletTabReadings),
    (Tab::Belongings, Msg::TabletTabBelongings),
    (Tab::Order, Msg::TabletTabOrder),
    (Tab::Review, Msg::TabletTabReview),
];

#[component]
fn VisitPage() -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let id = Memo::new(move |_| use_params_map().with(|p| p.get("id").unwrap_or_default()));
    let file = VisitFile { loaded: RwSignal::new(None), problem: RwSignal::new(None), sync: StoredValue::new(sync.clone()), saving: StoredValue::new(0), changes: StoredValue::new(0) };
    provide_context(file);
    let missing = RwSignal::new(false);
    let device = sync.device();
    // Read again after each pull, so the server's answers (a walk-in's advisor, a signature
    // applied) show; the store still shows this tablet's own waiting edits over them.
    Effect::new(move |_| {
        device.records.track();
        let (sync, id) = (sync.clone(), id.get());
        let before = file.changes.get_value();
        wasm_bindgen_futures::spawn_local(async move {
            match load(&sync, &id).await {
                // A save still on its way, or one made while this read was under way, would be
                // taken back by the older stored state; the pull after it reads again.
                Ok(Some(_)) if file.saving.try_get_value().unwrap_or(0) > 0 || file.changes.try_get_value() != Some(before) => {}
                Ok(Some(loaded)) => {
                    file.loaded.try_set(Some(loaded));
                }
                _ => {
                    missing.try_set(true);
                }
            }
        });
    });
    let tab = RwSignal::new(Tab::Inquiry);
    // The page is drawn again only when these change, not on every saved field: a step keeps
    // its elements (and the person's focus) while it saves.
    let present = Memo::new(move |_| file.loaded.with(Option::is_some));
    let signed = Memo::new(move |_| file.loaded.with(|l| l.as_ref().is_some_and(Loaded::signed)));
    move || {
        if !present.get() {
            return if missing.get() { view! { <p role="alert">{i18n.msg(Msg::TabletVisitMissing)}</p> }.into_any() } else { ().into_any() };
        }
        if signed.get() {
            return view! { <VisitHeader /><AfterDropOff /> }.into_any();
        }
        view! {
            <VisitHeader />
            <TabBar tabs=&TABS tab />
            <ProblemLine />
            <TabPanels tabs=&TABS tab panel=step />
        }
        .into_any()
    }
}

/// The tabs of a visit's page, by what they show.
#[component]
fn TabBar<T: Copy + PartialEq + Send + Sync + 'static>(tabs: &'static [(T, Msg)], tab: RwSignal<T>) -> impl IntoView {
    let i18n = use_i18n();
    let buttons = tabs
        .iter()
        .enumerate()
        .map(|(n, &(which, name))| {
            view! {
                <button type="button" role="tab" id=format!("visit-tab-{n}") aria-controls=format!("visit-step-{n}") aria-selected=aria(move || tab.get() == which) on:click=move |_| tab.set(which)>
                    {i18n.msg(name)}
                </button>
            }
        })
        .collect_view();
    view! { <nav class="visit-tabs" role="tablist" aria-label=i18n.msg(Msg::TabletTabLabel)>{buttons}</nav> }
}

/// Every tab's panel stays mounted, the others hidden: what the advisor typed in one and has not
/// saved yet (a reading the rules refused, a line half typed) is still there on coming back.
#[component]
fn TabPanels<T: Copy + PartialEq + Send + Sync + 'static>(tabs: &'static [(T, Msg)], tab: RwSignal<T>, panel: fn(T) -> AnyView) -> impl IntoView {
    tabs.iter()
        .enumerate()
        .map(|(n, &(which, _))| {
            view! {
                <div class="visit-step" role="tabpanel" id=format!("visit-step-{n}") aria-labelledby=format!("visit-tab-{n}") hidden=move || tab.get() != which>
                    {panel(which)}
                </div>
            }
        })
        .collect_view()
}

/// After the customer signed at drop-off: the signed order, the workshop, added work and pickup.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Order,
    Workshop,
    AddedWork,
    Pickup,
}

const STAGES: [(Stage, Msg); 4] = [
    (Stage::Order, Msg::TabletTabSignedOrder),
    (Stage::Workshop, Msg::TabletTabWorkshop),
    (Stage::AddedWork, Msg::TabletTabAddedWork),
    (Stage::Pickup, Msg::TabletTabPickup),
];

#[component]
fn AfterDropOff() -> impl IntoView {
    let file = use_visit();
    // Opens where the visit stands: the order just signed (to print, or amend), the workshop
    // while the car is in, pickup once it is ready.
    let first = match file.loaded.with_untracked(|l| l.as_ref().map(|l| l.visit.state)) {
        Some(VisitState::Ready | VisitState::Delivered) => Stage::Pickup,
        Some(VisitState::InWorkshop | VisitState::QualityCheck) => Stage::Workshop,
        _ => Stage::Order,
    };
    let tab = RwSignal::new(first);
    view! {
        <TabBar tabs=&STAGES tab />
        <ProblemLine />
        <TabPanels tabs=&STAGES tab panel=stage />
    }
}

fn stage(stage: Stage) -> AnyView {
    match stage {
        Stage::Order => view! { <SignedOrder /> }.into_any(),
        Stage::Workshop => view! { <WorkshopTab /> }.into_any(),
        Stage::AddedWork => view! { <AddedWorkTab /> }.into_any(),
        Stage::Pickup => view! { <PickupTab /> }.into_any(),
    }
}

/// One step, wired to the visit: each shows the saved field and saves through [`VisitFile::edit`].
fn step(tab: Tab) -> AnyView {
    let file = use_visit();
    let visit = Signal::derive(move || file.loaded.with(|l| l.as_ref().map(|l| l.visit.clone())));
    match tab {
        Tab::Inquiry => view! { <InquiryStep /> }.into_any(),
        Tab::Walkaround => {
            let walkaround = Signal::derive(move || visit.with(|v| v.as_ref().map(|v| v.walkaround.clone()).unwrap_or_default()));
            let past_marks = Signal::derive(move || file.loaded.with(|l| l.as_ref().map(past_marks).unwrap_or_default()));
            let on_save = Callback::new(move |w| file.edit(VisitEdit::Walkaround(w)));
            let visit = file.loaded.with_untracked(|l| l.as_ref().map(|l| l.visit.id.clone()));
            view! { <WalkaroundStep walkaround past_marks on_save visit /> }.into_any()
        }
        Tab::Readings => {
            let readings = Signal::derive(move || visit.with(|v| v.as_ref().and_then(|v| v.drop_off.clone())));
            let last_known = Signal::derive(move || file.loaded.with(|l| l.as_ref().and_then(Loaded::last_known)));
            let on_save = Callback::new(move |r| file.edit(VisitEdit::DropOffReadings(r)));
            view! { <ReadingsStep readings last_known on_save /> }.into_any()
        }
        Tab::Belongings => {
            let belongings = Signal::derive(move || visit.with(|v| v.as_ref().map(|v| v.belongings.clone()).unwrap_or_default()));
            let key_tag = Signal::derive(move || visit.with(|v| v.as_ref().and_then(|v| v.key_tag.clone())));
            let on_save_belongings = Callback::new(move |b| file.edit(VisitEdit::Belongings(b)));
            let on_save_key_tag = Callback::new(move |k| file.edit(VisitEdit::KeyTag(k)));
            view! { <BelongingsStep belongings key_tag on_save_belongings on_save_key_tag /> }.into_any()
        }
        Tab::Order => {
            let lines = Signal::derive(move || visit.with(|v| v.as_ref().map(|v| v.job_lines.clone()).unwrap_or_default()));
            let estimate = Signal::derive(move || visit.with(|v| v.as_ref().and_then(|v| v.estimate)));
            let promised_at = Signal::derive(move || visit.with(|v| v.as_ref().and_then(|v| v.promised_at)));
            let booked = Signal::derive(move || file.loaded.with(|l| l.as_ref().map(|l| l.booked.clone()).unwrap_or_default()));
            let checked_in_at = file.loaded.with_untracked(|l| l.as_ref().map(|l| l.visit.checked_in_at)).unwrap_or_default();
            let on_save_lines = Callback::new(move |l| file.edit(VisitEdit::JobLines(l)));
            let on_save_estimate = Callback::new(move |e| file.edit(VisitEdit::Estimate(e)));
            let on_save_promised = Callback::new(move |p| file.edit(VisitEdit::PromisedAt(p)));
            let catalogue = use_service_types();
            let basis = Signal::derive(move || visit.with(|v| v.as_ref().map(|v| v.pricing_basis).unwrap_or_default()));
            let on_save_basis = Callback::new(move |b| file.edit(VisitEdit::PricingBasis(b)));
            view! {
                <OrderStep catalogue lines estimate promised_at booked checked_in_at on_save_lines on_save_estimate on_save_promised />
                <PricingBasisChoice basis on_save=on_save_basis />
            }
            .into_any()
        }
        Tab::Review => view! { <ReviewStep /> }.into_any(),
    }
}

/// Marks from the car's last visit, shown faded so only new damage is marked.
fn past_marks(loaded: &Loaded) -> Vec<DamageMark> {
    loaded.past.first().map(|v| v.walkaround.marks.clone()).unwrap_or_default()
}

/// Who and what: the customer and car, the last readings, past visits, open recommendations.
#[component]
fn VisitHeader() -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    move || {
        file.loaded.get().map(|loaded| {
            let Loaded { customer, vehicle, past, .. } = &loaded;
            let last = loaded.last_known().map(|o| i18n.t_with(Msg::TabletVisitLastOdometer, &[("value", &crate::format::number(o.value, i18n.language()))]));
            let recommendations: Vec<String> = past
                .iter()
                .flat_map(|v| v.job_lines.iter())
                .filter(|line| line.added.as_ref().is_some_and(|a| !matches!(a.decision, lane_domain::jobs::Decision::Approved(_))))
                .map(|line| line.description.clone())
                .collect();
            let visits = i18n.t_with(Msg::TabletVisitPastVisits, &[("count", &past.len().to_string())]);
            view! {
                <header class="visit-header">
                    <h1>{customer.name.to_string()}" · "{vehicle.plate.to_string()}</h1>
                    <p>
                        {format!("{} {}", vehicle.make, vehicle.model)}" · "
                        <a href=format!("tel:{}", customer.phone)>{customer.phone.to_string()}</a>" · "{visits}
                        {last.map(|l| view! { " · "{l} })}
                    </p>
                    {(!recommendations.is_empty()).then(|| view! {
                        <p class="recommendations">{i18n.msg(Msg::TabletVisitRecommendations)}" "{recommendations.join(", ")}</p>
                    })}
                </header>
            }
        })
    }
}
