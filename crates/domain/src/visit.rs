//! The visit (repair order): its lifecycle, where only the lane's real transitions are allowed,
//! and its record, which devices change by plain field edits that are checked here.

use crate::appointment::{Concerns, Transport};
use crate::follow_up::{Complaint, FollowUpCall};
use crate::pickup::Handback;
use crate::workshop::{CustomerContact, EventError, Handover, QualityCheck};
use crate::ids::{AdvisorId, AppointmentId, CustomerId, JobLineId, VehicleId, VisitId};
use crate::jobs::{Decision, Estimate, JobError, JobLine, PricingBasis};
use crate::newtype::trimmed_within;
use crate::readings::{check_drop_off, check_pickup, DropOffReadings, Odometer, PickupReadings, ReadingError};
use crate::walkaround::{Belongings, KeyTag, Walkaround, WalkaroundError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a visit stands, in the order of DOMAIN.md steps 2-11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VisitState {
    CheckedIn,
    WalkAroundDone,
    WrittenUpAndSigned,
    InWorkshop,
    QualityCheck,
    Ready,
    Delivered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTransition {
    pub from: VisitState,
    pub to: VisitState,
}

impl fmt::Display for InvalidTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "A visit that is {:?} cannot become {:?}", self.from, self.to)?;
        match self.from.next() {
            Some(next) => write!(f, "; the next step is {next:?}."),
            None => write!(f, "; it is finished."),
        }
    }
}

impl std::error::Error for InvalidTransition {}

impl VisitState {
    /// The step that follows in the normal course.
    pub const fn next(self) -> Option<VisitState> {
        use VisitState::*;
        match self {
            CheckedIn => Some(WalkAroundDone),
            WalkAroundDone => Some(WrittenUpAndSigned),
            WrittenUpAndSigned => Some(InWorkshop),
            InWorkshop => Some(QualityCheck),
            QualityCheck => Some(Ready),
            Ready => Some(Delivered),
            Delivered => None,
        }
    }

    /// The next step, or a failed quality check sending the car back to the workshop.
    pub fn can_become(self, to: VisitState) -> bool {
        self.next() == Some(to) || (self == VisitState::QualityCheck && to == VisitState::InWorkshop)
    }

    pub fn transition(self, to: VisitState) -> Result<VisitState, InvalidTransition> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(InvalidTransition { from: self, to })
        }
    }
}

/// A visit: one car's stay, from check-in to delivery. Devices change it only through
/// [`Visit::apply`] and [`Visit::advance`], which keep the rules below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Visit {
    pub id: VisitId,
    /// None for a walk-in.
    pub appointment: Option<AppointmentId>,
    pub customer: CustomerId,
    pub vehicle: VehicleId,
    pub advisor: Option<AdvisorId>,
    pub state: VisitState,
    pub transport: Transport,
    /// The customer's own words (客户陈述).
    pub concerns: Concerns,
    /// The advisor's first diagnosis (服务顾问初步诊断), kept apart from the customer's words.
    pub diagnosis: String,
    pub walkaround: Walkaround,
    pub drop_off: Option<DropOffReadings>,
    pub pickup: Option<PickupReadings>,
    pub belongings: Belongings,
    pub key_tag: Option<KeyTag>,
    pub job_lines: Vec<JobLine>,
    /// Visits stored before the basis was recorded read as priced by item.
    #[serde(default)]
    pub pricing_basis: PricingBasis,
    pub estimate: Option<Estimate>,
    pub promised_at: Option<DateTime<Utc>>,
    pub checked_in_at: DateTime<Utc>,
    /// The version of the drop-off order the customer signs next, or signed last: the first, and
    /// one more for each amendment ([`Visit::amend_order`]).
    #[serde(default = "first_order_version")]
    pub order_version: u32,
    // What happens after drop-off, appended by events (`workshop`, `follow_up`). Visits stored
    // before these were recorded read as having none.
    #[serde(default)]
    pub handover: Option<Handover>,
    #[serde(default)]
    pub work_finished_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub quality: Vec<QualityCheck>,
    #[serde(default)]
    pub washed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub contacts: Vec<CustomerContact>,
    /// How many added-work approvals the customer has signed: the next one is this plus one.
    #[serde(default)]
    pub approvals_signed: u32,
    #[serde(default)]
    pub handback: Handback,
    #[serde(default)]
    pub delivered_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub follow_up: Vec<FollowUpCall>,
    #[serde(default)]
    pub complaint: Option<Complaint>,
}

fn first_order_version() -> u32 {
    crate::drop_off::FIRST_VERSION
}

/// A change of one field of a visit, as a device sends it (`{"field":"concerns","value":"…"}`).
/// Each replaces the whole field, so edits made offline merge field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VisitEdit {
    Concerns(Concerns),
    Diagnosis(String),
    Transport(Transport),
    KeyTag(Option<KeyTag>),
    Belongings(Belongings),
    Walkaround(Walkaround),
    DropOffReadings(DropOffReadings),
    PickupReadings(PickupReadings),
    JobLines(Vec<JobLine>),
    PricingBasis(PricingBasis),
    Estimate(Estimate),
    PromisedAt(Option<DateTime<Utc>>),
    Handback(Handback),
}

/// The field a [`VisitEdit`] changes: the key of last-writer-wins bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VisitField {
    Concerns,
    Diagnosis,
    Transport,
    KeyTag,
    Belongings,
    Walkaround,
    DropOffReadings,
    PickupReadings,
    JobLines,
    PricingBasis,
    Estimate,
    PromisedAt,
    Handback,
}

impl VisitEdit {
    pub fn field(&self) -> VisitField {
        match self {
            VisitEdit::Concerns(_) => VisitField::Concerns,
            VisitEdit::Diagnosis(_) => VisitField::Diagnosis,
            VisitEdit::Transport(_) => VisitField::Transport,
            VisitEdit::KeyTag(_) => VisitField::KeyTag,
            VisitEdit::Belongings(_) => VisitField::Belongings,
            VisitEdit::Walkaround(_) => VisitField::Walkaround,
            VisitEdit::DropOffReadings(_) => VisitField::DropOffReadings,
            VisitEdit::PickupReadings(_) => VisitField::PickupReadings,
            VisitEdit::JobLines(_) => VisitField::JobLines,
            VisitEdit::PricingBasis(_) => VisitField::PricingBasis,
            VisitEdit::Estimate(_) => VisitField::Estimate,
            VisitEdit::PromisedAt(_) => VisitField::PromisedAt,
            VisitEdit::Handback(_) => VisitField::Handback,
        }
    }
}

impl VisitField {
    /// Whether the field is part of what the customer signs at drop-off (the order, the
    /// walk-around sheet, the readings and the belongings list).
    pub const fn is_on_signed_order(self) -> bool {
        matches!(
            self,
            VisitField::Concerns
                | VisitField::Walkaround
                | VisitField::DropOffReadings
                | VisitField::Belongings
                | VisitField::JobLines
                | VisitField::PricingBasis
                | VisitField::Estimate
        )
    }
}

/// Who a visit is for and who receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parties {
    pub customer: CustomerId,
    pub vehicle: VehicleId,
    pub advisor: Option<AdvisorId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitError {
    Transition(InvalidTransition),
    Reading(ReadingError),
    Walkaround(WalkaroundError),
    Job { line: JobLineId, error: JobError },
    Estimate(JobError),
    DiagnosisTooLong { length: usize },
    DuplicateJobLine { line: JobLineId },
    /// The field is on the signed order: it changes only by an amended order, signed again.
    OrderSigned { field: VisitField },
    /// A line of the signed order, or an answered added job, was changed or removed.
    SignedLineChanged { line: JobLineId },
    /// A line added after signing that is not marked as added work.
    LineNotAddedWork { line: JobLineId },
    NoDropOffReadings,
    NoPickupReadings,
    /// A step that has its own record: a signature or a workshop event moves the visit there.
    StepHasItsRecord { to: VisitState },
    Event(EventError),
    Pickup(crate::pickup::PickupError),
    /// A signature for added work when none is waiting for an answer.
    NoAddedWorkPending,
    AddedWork(crate::added_work::AddedWorkError),
    /// Approving added work in person is done by the customer's signature.
    ApprovalIsSigned,
    NoSuchLine { line: JobLineId },
    Delivered,
    /// Only a signed order whose car is not in the workshop yet can be amended.
    NotAmendable { state: VisitState },
}

impl fmt::Display for VisitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VisitError::Transition(e) => e.fmt(f),
            VisitError::Reading(e) => e.fmt(f),
            VisitError::Walkaround(e) => e.fmt(f),
            VisitError::Job { line, error } => write!(f, "Job line {line}: {error}"),
            VisitError::Estimate(e) => e.fmt(f),
            VisitError::DiagnosisTooLong { length } => {
                write!(f, "Keep the diagnosis to {MAX_DIAGNOSIS} characters; this is {length}.")
            }
            VisitError::DuplicateJobLine { line } => write!(f, "Job line {line} is on the order twice."),
            VisitError::OrderSigned { field } => write!(
                f,
                "The customer signed the order, so its {field:?} cannot change. Amend the order and have it signed again."
            ),
            VisitError::SignedLineChanged { line } => write!(
                f,
                "Job line {line} is signed or answered by the customer and cannot change. Amend the order, or add a new line."
            ),
            VisitError::LineNotAddedWork { line } => write!(
                f,
                "Job line {line} is new on a signed order: mark it as added work so the customer can approve it."
            ),
            VisitError::NoDropOffReadings => write!(f, "Record the odometer and fuel at drop-off first."),
            VisitError::NoPickupReadings => write!(f, "Record the odometer and fuel at pickup first."),
            VisitError::StepHasItsRecord { to: VisitState::WrittenUpAndSigned } => {
                write!(f, "The customer's signature on the order writes the visit up.")
            }
            VisitError::StepHasItsRecord { to: VisitState::Delivered } => write!(f, "The customer's signature at pickup delivers the car."),
            VisitError::StepHasItsRecord { to } => write!(f, "Record what happened (the hand-over, the checks, the wash) and the visit becomes {to:?}."),
            VisitError::Event(e) => e.fmt(f),
            VisitError::Pickup(e) => e.fmt(f),
            VisitError::NoAddedWorkPending => write!(f, "No added work is waiting for the customer's answer."),
            VisitError::AddedWork(e) => e.fmt(f),
            VisitError::ApprovalIsSigned => write!(f, "A customer who is here approves added work by signing for it on the tablet."),
            VisitError::NoSuchLine { line } => write!(f, "There is no job line {line} on this visit."),
            VisitError::NotAmendable { state: VisitState::CheckedIn | VisitState::WalkAroundDone } => {
                write!(f, "The order is not signed yet: change it directly.")
            }
            VisitError::NotAmendable { .. } => write!(
                f,
                "The car is in the workshop, so the signed order stays as it is; more work is added as added job lines."
            ),
            VisitError::Delivered => write!(f, "The car was delivered; the visit is closed."),
        }
    }
}

impl std::error::Error for VisitError {}

impl From<InvalidTransition> for VisitError {
    fn from(e: InvalidTransition) -> VisitError {
        VisitError::Transition(e)
    }
}

impl From<ReadingError> for VisitError {
    fn from(e: ReadingError) -> VisitError {
        VisitError::Reading(e)
    }
}

impl From<EventError> for VisitError {
    fn from(e: EventError) -> VisitError {
        VisitError::Event(e)
    }
}

impl From<WalkaroundError> for VisitError {
    fn from(e: WalkaroundError) -> VisitError {
        VisitError::Walkaround(e)
    }
}

const MAX_DIAGNOSIS: usize = 2000;

impl Visit {
    /// The visit a check-in opens: the customer's words, transport and key tag, nothing else yet.
    /// `at` is the device's time of the check-in, the evidence of when the customer arrived.
    pub fn check_in(check_in: &crate::sync::CheckIn, appointment: Option<AppointmentId>, parties: Parties, at: DateTime<Utc>) -> Visit {
        Visit {
            id: check_in.visit.clone(),
            appointment,
            customer: parties.customer,
            vehicle: parties.vehicle,
            advisor: parties.advisor,
            state: VisitState::CheckedIn,
            transport: check_in.transport,
            concerns: check_in.concerns.clone(),
            diagnosis: String::new(),
            walkaround: Walkaround::default(),
            drop_off: None,
            pickup: None,
            belongings: Belongings::default(),
            key_tag: check_in.key_tag.clone(),
            job_lines: Vec::new(),
            pricing_basis: PricingBasis::default(),
            estimate: None,
            promised_at: None,
            checked_in_at: at,
            order_version: first_order_version(),
            handover: None,
            work_finished_at: None,
            quality: Vec::new(),
            washed_at: None,
            contacts: Vec::new(),
            approvals_signed: 0,
            handback: Handback::default(),
            delivered_at: None,
            follow_up: Vec::new(),
            complaint: None,
        }
    }

    /// Whether the customer has signed the drop-off order: from then on it is evidence.
    pub fn order_signed(&self) -> bool {
        !matches!(self.state, VisitState::CheckedIn | VisitState::WalkAroundDone)
    }

    /// Applies a device's edit if it keeps the rules. `last_known_odometer` is the vehicle's
    /// highest reading before this visit.
    pub fn apply(&mut self, edit: VisitEdit, last_known_odometer: Option<Odometer>) -> Result<(), VisitError> {
        if self.state == VisitState::Delivered {
            return Err(VisitError::Delivered);
        }
        let field = edit.field();
        // Job lines still change after signing, but only by added work (checked below).
        if self.order_signed() && field.is_on_signed_order() && field != VisitField::JobLines {
            return Err(VisitError::OrderSigned { field });
        }
        match edit {
            VisitEdit::Concerns(concerns) => self.concerns = concerns,
            VisitEdit::Diagnosis(text) => {
                self.diagnosis = trimmed_within(&text, MAX_DIAGNOSIS).map_err(|length| VisitError::DiagnosisTooLong { length })?;
            }
            VisitEdit::Transport(transport) => self.transport = transport,
            VisitEdit::KeyTag(tag) => self.key_tag = tag,
            VisitEdit::Belongings(belongings) => {
                belongings.check()?;
                self.belongings = belongings;
            }
            VisitEdit::Walkaround(walkaround) => {
                walkaround.check()?;
                self.walkaround = walkaround;
            }
            VisitEdit::DropOffReadings(readings) => {
                check_drop_off(readings.odometer, last_known_odometer, readings.correction_reason.as_deref())?;
                if let Some(pickup) = &self.pickup {
                    check_pickup(pickup, readings.odometer)?;
                }
                self.drop_off = Some(readings);
            }
            VisitEdit::PickupReadings(readings) => {
                let drop_off = self.drop_off.as_ref().ok_or(VisitError::NoDropOffReadings)?;
                check_pickup(&readings, drop_off.odometer)?;
                self.pickup = Some(readings);
            }
            VisitEdit::JobLines(lines) => {
                check_lines(&lines)?;
                if self.order_signed() {
                    check_signed_lines_kept(&self.job_lines, &lines)?;
                }
                self.job_lines = lines;
            }
            VisitEdit::PricingBasis(basis) => self.pricing_basis = basis,
            VisitEdit::Estimate(estimate) => {
                estimate.check().map_err(VisitError::Estimate)?;
                self.estimate = Some(estimate);
            }
            VisitEdit::PromisedAt(at) => self.promised_at = at,
            VisitEdit::Handback(handback) => {
                if self.state != VisitState::Ready {
                    return Err(VisitError::Pickup(crate::pickup::PickupError::NotReady { state: self.state }));
                }
                handback.check(&self.walkaround, &self.belongings).map_err(VisitError::Pickup)?;
                self.handback = handback;
            }
        }
        Ok(())
    }

    /// Reopens the signed drop-off order for a change, before the car goes into the workshop (the
    /// customer remembers another concern, a line was wrong): the visit is back at walk-around
    /// done, and the next version of the order is what the customer signs again. The signed
    /// version and its signature stay as they were.
    pub fn amend_order(&mut self) -> Result<(), VisitError> {
        if self.state != VisitState::WrittenUpAndSigned {
            return Err(VisitError::NotAmendable { state: self.state });
        }
        self.state = VisitState::WalkAroundDone;
        self.order_version += 1;
        Ok(())
    }

    /// Moves the visit on by the advisor's word alone: only the walk-around done. Every later step
    /// follows from its own record, a signature ([`Visit::take_signature`]) or a workshop event
    /// ([`Visit::record`]), so no state is reached without the evidence of it.
    pub fn advance(&mut self, to: VisitState) -> Result<(), VisitError> {
        self.state.transition(to)?;
        if to != VisitState::WalkAroundDone {
            return Err(VisitError::StepHasItsRecord { to });
        }
        self.state = to;
        Ok(())
    }
}

fn check_lines(lines: &[JobLine]) -> Result<(), VisitError> {
    for (i, line) in lines.iter().enumerate() {
        line.check().map_err(|error| VisitError::Job { line: line.id.clone(), error })?;
        if lines[..i].iter().any(|l| l.id == line.id) {
            return Err(VisitError::DuplicateJobLine { line: line.id.clone() });
        }
    }
    Ok(())
}

/// After signing, the signed lines and every answered added job stay exactly as they are; new
/// lines are added work. Added work not yet answered may still be revised or dropped.
fn check_signed_lines_kept(old: &[JobLine], new: &[JobLine]) -> Result<(), VisitError> {
    for line in old {
        let pending = line.added.as_ref().is_some_and(|a| a.decision == Decision::Pending);
        if !pending && !new.contains(line) {
            return Err(VisitError::SignedLineChanged { line: line.id.clone() });
        }
    }
    match new.iter().find(|l| l.added.is_none() && !old.iter().any(|o| o.id == l.id)) {
        Some(line) => Err(VisitError::LineNotAddedWork { line: line.id.clone() }),
        None => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::VisitState::*;
    use super::*;
    use crate::customer::PersonName;
    use crate::jobs::{AddedWork, Answer, Channel, JobItem};
    use crate::readings::{DistanceUnit, FuelEighths};
    use crate::signature::DocumentKind;
    use crate::{Currency, Money};
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap()
    }

    fn km(value: u32) -> Odometer {
        Odometer { value, unit: DistanceUnit::Km }
    }

    pub(crate) fn visit() -> Visit {
        Visit {
            id: VisitId::parse("v-1").unwrap(),
            appointment: None,
            customer: CustomerId::parse("c-1").unwrap(),
            vehicle: VehicleId::parse("veh-1").unwrap(),
            advisor: Some(AdvisorId::parse("adv-1").unwrap()),
            state: CheckedIn,
            transport: Transport::Wait,
            concerns: Concerns::parse("Squeal when braking").unwrap(),
            diagnosis: String::new(),
            walkaround: Walkaround::default(),
            drop_off: None,
            pickup: None,
            belongings: Belongings::default(),
            key_tag: None,
            job_lines: vec![],
            pricing_basis: PricingBasis::ByItem,
            estimate: None,
            promised_at: None,
            checked_in_at: at(1),
            order_version: 1,
            handover: None,
            work_finished_at: None,
            quality: vec![],
            washed_at: None,
            contacts: vec![],
            approvals_signed: 0,
            handback: Handback::default(),
            delivered_at: None,
            follow_up: vec![],
            complaint: None,
        }
    }

    fn drop_off(value: u32) -> VisitEdit {
        VisitEdit::DropOffReadings(DropOffReadings { odometer: km(value), fuel: FuelEighths::new(4).unwrap(), correction_reason: None })
    }

    fn pickup(value: u32) -> VisitEdit {
        VisitEdit::PickupReadings(PickupReadings { odometer: km(value), fuel: FuelEighths::new(4).unwrap(), note: None })
    }

    pub(crate) fn line(id: &str, added: Option<Decision>) -> JobLine {
        JobLine {
            id: JobLineId::parse(id).unwrap(),
            description: "Brake pads".into(),
            service_type: None,
            item: JobItem::Labour,
            quantity_milli: 1000,
            unit_price: Money::new(30_000, Currency::Cny),
            added: added.map(|decision| AddedWork { reason: "Worn".into(), safety: true, extra_minutes: 30, decision }),
        }
    }

    /// Added work, priced apart from the signed line.
    pub(crate) fn added_line(id: &str, decision: Decision) -> JobLine {
        JobLine { description: "Brake discs".into(), unit_price: Money::new(45_000, Currency::Cny), ..line(id, Some(decision)) }
    }

    fn wang() -> PersonName {
        PersonName::parse("王小明").unwrap()
    }

    /// A visit whose drop-off order the customer signed: one line, 300.00 estimated in 60 min.
    pub(crate) fn signed_visit() -> Visit {
        let mut v = visit();
        v.apply(drop_off(38_120), None).unwrap();
        v.apply(VisitEdit::JobLines(vec![line("j-1", None)]), None).unwrap();
        v.apply(VisitEdit::Estimate(Estimate { cost: Money::new(30_000, Currency::Cny), minutes: 60, margin_percent: 10 }), None).unwrap();
        v.advance(WalkAroundDone).unwrap();
        v.take_signature(DocumentKind::DropOffOrder, &wang(), at(2)).unwrap();
        v
    }

    /// A signed visit made ready, with one added line approved and one declined, and its pickup
    /// readings.
    pub(crate) fn ready_visit() -> Visit {
        let mut v = signed_visit();
        let answer = |note: &str| Answer { at: at(11), by: wang(), channel: Channel::Phone, note: note.into() };
        v.job_lines.push(added_line("j-2", Decision::Approved(answer("Go ahead"))));
        v.job_lines.push(added_line("j-3", Decision::Declined(answer("Next time"))));
        v.state = Ready;
        v.apply(pickup(38_125), None).unwrap();
        v
    }


    const ALL: [VisitState; 7] = [CheckedIn, WalkAroundDone, WrittenUpAndSigned, InWorkshop, QualityCheck, Ready, Delivered];

    #[test]
    fn the_normal_course_runs_from_check_in_to_delivery() {
        let mut state = CheckedIn;
        while let Some(next) = state.next() {
            state = state.transition(next).unwrap();
        }
        assert_eq!(state, Delivered);
    }

    #[test]
    fn only_real_transitions_are_allowed() {
        let allowed: Vec<(VisitState, VisitState)> =
            ALL.iter().flat_map(|&a| ALL.iter().map(move |&b| (a, b))).filter(|(a, b)| a.can_become(*b)).collect();
        assert_eq!(
            allowed,
            vec![
                (CheckedIn, WalkAroundDone),
                (WalkAroundDone, WrittenUpAndSigned),
                (WrittenUpAndSigned, InWorkshop),
                (InWorkshop, QualityCheck),
                (QualityCheck, InWorkshop),
                (QualityCheck, Ready),
                (Ready, Delivered),
            ]
        );
    }

    mod record {
        use super::*;

        #[test]
        fn edits_name_their_field_on_the_wire() {
            let edit = VisitEdit::Diagnosis("Front pads worn".into());
            assert_eq!(edit.field(), VisitField::Diagnosis);
            let json = serde_json::to_string(&edit).unwrap();
            assert_eq!(json, r#"{"field":"diagnosis","value":"Front pads worn"}"#);
            assert_eq!(serde_json::from_str::<VisitEdit>(&json).unwrap(), edit);
            assert!(serde_json::from_str::<VisitEdit>(r#"{"field":"state","value":"delivered"}"#).is_err());
            assert!(serde_json::from_str::<VisitEdit>(r#"{"field":"key_tag","value":"A-1"}"#).is_err());
        }

        #[test]
        fn readings_are_checked() {
            let mut v = visit();
            assert_eq!(v.apply(pickup(38_200), None), Err(VisitError::NoDropOffReadings));
            assert!(matches!(v.apply(drop_off(38_000), Some(km(38_100))), Err(VisitError::Reading(ReadingError::BelowLastKnown { .. }))));
            v.apply(drop_off(38_120), Some(km(38_100))).unwrap();
            assert!(matches!(v.apply(pickup(38_119), None), Err(VisitError::Reading(ReadingError::PickupBelowDropOff { .. }))));
            v.apply(pickup(38_125), None).unwrap();
            assert_eq!(v.pickup.unwrap().odometer, km(38_125));
        }

        #[test]
        fn plain_edits_are_validated() {
            let mut v = visit();
            v.apply(VisitEdit::Diagnosis("  Pads at 2 mm ".into()), None).unwrap();
            assert_eq!(v.diagnosis, "Pads at 2 mm");
            assert_eq!(v.concerns.as_str(), "Squeal when braking");
            assert_eq!(v.apply(VisitEdit::Diagnosis("x".repeat(2001)), None), Err(VisitError::DiagnosisTooLong { length: 2001 }));
            let twice = VisitEdit::JobLines(vec![line("j-1", None), line("j-1", None)]);
            assert_eq!(v.apply(twice, None), Err(VisitError::DuplicateJobLine { line: JobLineId::parse("j-1").unwrap() }));
            let mut empty = line("j-2", None);
            empty.quantity_milli = 0;
            assert!(matches!(v.apply(VisitEdit::JobLines(vec![empty]), None), Err(VisitError::Job { .. })));
            let bad_belongings = Belongings { items: vec![" ".into()], valuables_reminder_confirmed: true };
            assert_eq!(v.apply(VisitEdit::Belongings(bad_belongings), None), Err(VisitError::Walkaround(WalkaroundError::BelongingEmpty)));
            v.apply(VisitEdit::PromisedAt(Some(at(9))), None).unwrap();
            assert_eq!(v.promised_at, Some(at(9)));
        }

        #[test]
        fn only_the_walk_around_is_done_by_word_alone() {
            let mut v = visit();
            v.advance(WalkAroundDone).unwrap();
            assert_eq!(v.take_signature(DocumentKind::DropOffOrder, &wang(), at(2)), Err(VisitError::NoDropOffReadings));
            assert_eq!(v.advance(WrittenUpAndSigned), Err(VisitError::StepHasItsRecord { to: WrittenUpAndSigned }));
            assert_eq!(v.state, WalkAroundDone);
            v.apply(drop_off(38_120), None).unwrap();
            v.take_signature(DocumentKind::DropOffOrder, &wang(), at(2)).unwrap();
            assert_eq!(v.state, WrittenUpAndSigned);
            assert_eq!(v.advance(InWorkshop), Err(VisitError::StepHasItsRecord { to: InWorkshop }));
            assert!(matches!(v.advance(Delivered), Err(VisitError::Transition(_))));
        }

        #[test]
        fn a_delivered_visit_is_closed() {
            let mut v = ready_visit();
            v.take_signature(DocumentKind::PickupAcceptance, &wang(), at(17)).unwrap();
            assert_eq!(v.apply(VisitEdit::Diagnosis("late".into()), None), Err(VisitError::Delivered));
        }

        #[test]
        fn the_handback_is_recorded_when_the_car_is_ready() {
            let mut v = signed_visit();
            let handback = Handback { keys_returned: true, ..Handback::default() };
            assert!(matches!(v.apply(VisitEdit::Handback(handback.clone()), None), Err(VisitError::Pickup(_))));
            let mut v = ready_visit();
            v.apply(VisitEdit::Handback(handback.clone()), None).unwrap();
            assert_eq!(v.handback, handback);
        }

        #[test]
        fn an_amended_order_opens_again_as_the_next_version() {
            let mut v = signed_visit();
            v.amend_order().unwrap();
            assert_eq!((v.state, v.order_version), (WalkAroundDone, 2));
            v.apply(VisitEdit::Concerns(Concerns::parse("Also a rattle").unwrap()), None).unwrap();
            assert_eq!(v.amend_order(), Err(VisitError::NotAmendable { state: WalkAroundDone }));
            v.take_signature(DocumentKind::DropOffOrder, &wang(), at(3)).unwrap();
            v.state = InWorkshop;
            assert_eq!(v.amend_order(), Err(VisitError::NotAmendable { state: InWorkshop }));
            assert!(v.amend_order().unwrap_err().to_string().contains("added job lines"));
            assert_eq!(v.order_version, 2);
        }

        #[test]
        fn the_signed_order_needs_an_amendment() {
            let mut v = signed_visit();
            for edit in [
                VisitEdit::Walkaround(Walkaround::default()),
                VisitEdit::Belongings(Belongings::default()),
                VisitEdit::Estimate(Estimate { cost: Money::new(0, Currency::Cny), minutes: 90, margin_percent: 10 }),
                drop_off(38_121),
                VisitEdit::Concerns(Concerns::parse("Also a rattle").unwrap()),
                VisitEdit::PricingBasis(PricingBasis::BySymptom),
            ] {
                let field = edit.field();
                assert_eq!(v.apply(edit, None), Err(VisitError::OrderSigned { field }));
            }
            // Workshop-side fields still change.
            v.apply(VisitEdit::Diagnosis("Pads at 2 mm".into()), None).unwrap();
            v.apply(VisitEdit::KeyTag(Some(KeyTag::parse("17").unwrap())), None).unwrap();
            assert!(VisitError::OrderSigned { field: VisitField::Walkaround }.to_string().contains("Amend the order"));
        }

        #[test]
        fn after_signing_job_lines_grow_only_by_added_work() {
            let mut v = signed_visit();
            let j1 = line("j-1", None);
            let mut changed = j1.clone();
            changed.quantity_milli = 2000;
            assert_eq!(v.apply(VisitEdit::JobLines(vec![changed]), None), Err(VisitError::SignedLineChanged { line: j1.id.clone() }));
            assert_eq!(v.apply(VisitEdit::JobLines(vec![]), None), Err(VisitError::SignedLineChanged { line: j1.id.clone() }));
            let plain = line("j-2", None);
            assert_eq!(v.apply(VisitEdit::JobLines(vec![j1.clone(), plain]), None), Err(VisitError::LineNotAddedWork { line: JobLineId::parse("j-2").unwrap() }));
            // Added work is proposed, revised, then answered; the answer then stays.
            v.apply(VisitEdit::JobLines(vec![j1.clone(), line("j-2", Some(Decision::Pending))]), None).unwrap();
            let mut revised = line("j-2", Some(Decision::Pending));
            revised.quantity_milli = 1500;
            v.apply(VisitEdit::JobLines(vec![j1.clone(), revised]), None).unwrap();
            let answer = Decision::Approved(Answer { at: at(10), by: wang(), channel: Channel::Phone, note: "Go ahead".into() });
            let approved = line("j-2", Some(answer));
            v.apply(VisitEdit::JobLines(vec![j1.clone(), approved.clone()]), None).unwrap();
            assert_eq!(v.apply(VisitEdit::JobLines(vec![j1.clone(), line("j-2", Some(Decision::Pending))]), None), Err(VisitError::SignedLineChanged { line: approved.id.clone() }));
            assert_eq!(v.job_lines, vec![j1, approved]);
        }
    }

    #[test]
    fn a_refusal_names_the_next_step() {
        let err = CheckedIn.transition(Delivered).unwrap_err();
        assert_eq!(err, InvalidTransition { from: CheckedIn, to: Delivered });
        assert_eq!(err.to_string(), "A visit that is CheckedIn cannot become Delivered; the next step is WalkAroundDone.");
        assert!(Delivered.transition(Ready).unwrap_err().to_string().ends_with("it is finished."));
    }
}
