//! After drop-off (DOMAIN.md steps 6-10): the hand-over to the workshop, what the advisor tells
//! the customer, the quality checks, the wash and the car made ready. Each is a [`VisitEvent`]: a
//! fact appended to the visit by [`Visit::record`], never replaced, so what two tablets record
//! offline both count (field edits, by contrast, are last-writer-wins).

use crate::customer::PersonName;
use crate::deadlines;
use crate::follow_up::{Complaint, ComplaintStep, FollowUpCall};
use crate::ids::JobLineId;
use crate::jobs::Decision;
use crate::newtype::trimmed_within;
use crate::visit::{Visit, VisitError, VisitState};
use chrono::{DateTime, Duration, DurationRound, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who took the car into the workshop and when, to the nearest 10 minutes (the client's rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Handover {
    pub by: PersonName,
    at: DateTime<Utc>,
}

impl Handover {
    pub fn new(by: PersonName, at: DateTime<Utc>) -> Handover {
        Handover { by, at: to_ten_minutes(at) }
    }

    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
}

/// The nearest multiple of 10 minutes; 5 past rounds up.
pub fn to_ten_minutes(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_round(Duration::minutes(10)).unwrap_or(at)
}

/// How the customer was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ContactChannel {
    Phone,
    Text,
    InPerson,
}

impl ContactChannel {
    pub const ALL: [ContactChannel; 3] = [ContactChannel::Phone, ContactChannel::Text, ContactChannel::InPerson];
}

/// Why the advisor spoke to the customer while the car was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ContactPurpose {
    /// The progress check (DOMAIN.md step 8), the job on time.
    Progress,
    /// The job will be late: the reason and an apology, before the promised time.
    Delay,
    /// The car is ready, or will be at the promised time (step 10).
    PickupNotice,
}

/// A recorded word with the customer: when, how, and what was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerContact {
    pub purpose: ContactPurpose,
    pub at: DateTime<Utc>,
    pub channel: ContactChannel,
    pub said: String,
    /// The new promised time a delay notice gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_promised_at: Option<DateTime<Utc>>,
}

/// The three checks of step 9, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CheckStage {
    Technician,
    TeamLead,
    FinalInspection,
}

impl CheckStage {
    pub const ALL: [CheckStage; 3] = [CheckStage::Technician, CheckStage::TeamLead, CheckStage::FinalInspection];
}

/// One quality check: who, when, whether it passed, and a note (the road test's, at the final
/// inspection). A failed check sends the car back to the workshop and the checks start again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualityCheck {
    pub stage: CheckStage,
    pub by: PersonName,
    pub at: DateTime<Utc>,
    pub passed: bool,
    #[serde(default)]
    pub note: String,
}

/// A fact about the visit after drop-off, as a device sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VisitEvent {
    /// The workshop takes the signed car.
    HandedOver { handover: Handover },
    /// The workshop has finished: the quality checks begin.
    WorkFinished { at: DateTime<Utc> },
    Checked { check: QualityCheck },
    Washed { at: DateTime<Utc> },
    /// The car is ready, and the customer was told so.
    Ready { notice: CustomerContact },
    Contacted { contact: CustomerContact },
    /// The customer's answer to one added line, by phone or a decline in person. The new
    /// promised time it brings is a `PromisedAt` edit.
    Answered { line: JobLineId, decision: Decision },
    FollowUpCalled { call: FollowUpCall },
    /// A step of the complaint a follow-up call opened.
    Complaint { step: ComplaintStep },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventError {
    /// The event does not fit where the visit stands.
    WrongState { state: VisitState },
    /// A quality check out of order: `expected` comes first.
    CheckOutOfOrder { expected: CheckStage },
    ChecksIncomplete,
    NotWashed,
    NotAPickupNotice,
    /// What was said, or a note, is empty or too long.
    Text { max: usize, length: usize },
    /// A check or a call recorded before the step it follows.
    BeforeItsTime,
    /// A failed check says what failed.
    FailureUnexplained,
    NoComplaint,
    ComplaintOpen,
    ComplaintClosed,
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::WrongState { state } => write!(f, "This cannot be recorded while the visit is {state:?}."),
            EventError::CheckOutOfOrder { expected } => write!(f, "The {expected:?} check comes first."),
            EventError::ChecksIncomplete => write!(f, "All three quality checks must pass first."),
            EventError::NotWashed => write!(f, "Record the wash before the car is ready."),
            EventError::NotAPickupNotice => write!(f, "Making the car ready records the pickup notice given to the customer."),
            EventError::Text { max, length: 0 } => write!(f, "Write what was said (up to {max} characters)."),
            EventError::Text { max, length } => write!(f, "Keep it to {max} characters; this is {length}."),
            EventError::BeforeItsTime => write!(f, "The time given is before the step it follows."),
            EventError::FailureUnexplained => write!(f, "Say what failed the check, so the workshop knows what to fix."),
            EventError::NoComplaint => write!(f, "There is no complaint open on this visit."),
            EventError::ComplaintOpen => write!(f, "A complaint is open on this visit already."),
            EventError::ComplaintClosed => write!(f, "The complaint is resolved; a new problem is a new complaint."),
        }
    }
}

impl std::error::Error for EventError {}

/// The longest note or account of what was said.
pub const MAX_SAID: usize = 1000;

pub(crate) fn said(text: &str, required: bool) -> Result<String, EventError> {
    match trimmed_within(text, MAX_SAID) {
        Ok(t) if t.is_empty() && required => Err(EventError::Text { max: MAX_SAID, length: 0 }),
        Ok(t) => Ok(t),
        Err(length) => Err(EventError::Text { max: MAX_SAID, length }),
    }
}

fn check_contact(contact: &CustomerContact) -> Result<CustomerContact, EventError> {
    Ok(CustomerContact { said: said(&contact.said, true)?, ..contact.clone() })
}

impl Visit {
    /// Appends an event if it fits where the visit stands, and moves the visit on where it says.
    pub fn record(&mut self, event: VisitEvent) -> Result<(), VisitError> {
        let state = self.state;
        let wrong = || VisitError::Event(EventError::WrongState { state });
        match event {
            VisitEvent::HandedOver { handover } => {
                if state != VisitState::WrittenUpAndSigned {
                    return Err(wrong());
                }
                self.handover = Some(handover);
                self.state = VisitState::InWorkshop;
            }
            VisitEvent::WorkFinished { at } => {
                if state != VisitState::InWorkshop {
                    return Err(wrong());
                }
                self.work_finished_at = Some(at);
                self.state = VisitState::QualityCheck;
            }
            VisitEvent::Checked { check } => {
                if state != VisitState::QualityCheck {
                    return Err(wrong());
                }
                let expected = self.next_check().ok_or(VisitError::Event(EventError::WrongState { state }))?;
                if check.stage != expected {
                    return Err(VisitError::Event(EventError::CheckOutOfOrder { expected }));
                }
                let note = said(&check.note, !check.passed).map_err(|e| match e {
                    EventError::Text { length: 0, .. } => VisitError::Event(EventError::FailureUnexplained),
                    e => VisitError::Event(e),
                })?;
                if !check.passed {
                    self.state = VisitState::InWorkshop;
                    self.washed_at = None;
                }
                self.quality.push(QualityCheck { note, ..check });
            }
            VisitEvent::Washed { at } => {
                if state != VisitState::QualityCheck {
                    return Err(wrong());
                }
                if self.next_check().is_some() {
                    return Err(VisitError::Event(EventError::ChecksIncomplete));
                }
                self.washed_at = Some(at);
            }
            VisitEvent::Ready { notice } => {
                if state != VisitState::QualityCheck {
                    return Err(wrong());
                }
                if self.next_check().is_some() {
                    return Err(VisitError::Event(EventError::ChecksIncomplete));
                }
                if self.washed_at.is_none() {
                    return Err(VisitError::Event(EventError::NotWashed));
                }
                if notice.purpose != ContactPurpose::PickupNotice {
                    return Err(VisitError::Event(EventError::NotAPickupNotice));
                }
                self.contacts.push(check_contact(&notice).map_err(VisitError::Event)?);
                self.state = VisitState::Ready;
            }
            VisitEvent::Contacted { contact } => {
                if !matches!(state, VisitState::InWorkshop | VisitState::QualityCheck | VisitState::Ready) {
                    return Err(wrong());
                }
                let contact = check_contact(&contact).map_err(VisitError::Event)?;
                if let Some(new) = contact.new_promised_at {
                    self.promised_at = Some(new);
                }
                self.contacts.push(contact);
            }
            VisitEvent::Answered { line, decision } => self.answer(&line, decision)?,
            VisitEvent::FollowUpCalled { call } => {
                let delivered = self.delivered_at.ok_or_else(wrong)?;
                let call = call.checked(delivered).map_err(VisitError::Event)?;
                if let Some(summary) = call.complaint() {
                    if self.complaint.as_ref().is_some_and(|c| !c.resolved()) {
                        return Err(VisitError::Event(EventError::ComplaintOpen));
                    }
                    self.complaint = Some(Complaint::open(call.at, summary.to_owned()));
                }
                self.follow_up.push(call);
            }
            VisitEvent::Complaint { step } => {
                let complaint = self.complaint.as_mut().ok_or(VisitError::Event(EventError::NoComplaint))?;
                complaint.take(step).map_err(VisitError::Event)?;
            }
        }
        Ok(())
    }

    /// The quality check to record next, in this round (since the car last came back from a
    /// failed one); none when all three passed.
    pub fn next_check(&self) -> Option<CheckStage> {
        let round = self.quality.iter().rposition(|c| !c.passed).map_or(&self.quality[..], |i| &self.quality[i + 1..]);
        CheckStage::ALL.get(round.len()).copied()
    }

    /// When the workshop started on the car: the hand-over.
    pub fn work_started(&self) -> Option<DateTime<Utc>> {
        self.handover.as_ref().map(Handover::at)
    }

    pub fn contacted(&self, purpose: ContactPurpose) -> Option<&CustomerContact> {
        self.contacts.iter().rev().find(|c| c.purpose == purpose)
    }
}

/// What the advisor must do next for an open visit, by the client's time rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Ask the workshop how far along the job is (step 8).
    ProgressCheck,
    /// Tell the customer the car will be ready (step 10).
    PickupNotice,
    /// The time promised to the customer.
    Promised,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: DateTime<Utc>,
    pub at_risk: bool,
}

/// How close to a deadline it is highlighted as at risk.
pub const AT_RISK: Duration = Duration::minutes(15);

impl Visit {
    /// The next deadline the rules derive for the car in the workshop: the progress check at 75%
    /// of the estimate from the hand-over, the pickup notice 1 or 4 hours before the promised
    /// time, then the promised time itself. None before the hand-over or once the car is ready.
    pub fn next_deadline(&self, now: DateTime<Utc>) -> Option<Deadline> {
        if !matches!(self.state, VisitState::InWorkshop | VisitState::QualityCheck) {
            return None;
        }
        let started = self.work_started()?;
        let mut due = Vec::new();
        if let Some(estimate) = self.estimate {
            let checked = self.contacted(ContactPurpose::Progress).or(self.contacted(ContactPurpose::Delay));
            if checked.is_none() {
                due.push((DeadlineKind::ProgressCheck, deadlines::progress_check_due(started, Duration::minutes(i64::from(estimate.max_minutes())))));
            }
        }
        if let Some(promised) = self.promised_at {
            due.push((DeadlineKind::PickupNotice, deadlines::pickup_notice_due(promised, promised - started)));
            due.push((DeadlineKind::Promised, promised));
        }
        let (kind, due) = due.into_iter().min_by_key(|(_, at)| *at)?;
        Some(Deadline { kind, due, at_risk: now + AT_RISK >= due })
    }

    /// Whether the job is late: the car is not ready and the pickup notice time has come, so the
    /// customer must be told before the promised time. A delay notice given since answers it; one
    /// that moves the promised time moves the notice time, which comes due in turn.
    pub fn is_late(&self, now: DateTime<Utc>) -> bool {
        if !matches!(self.state, VisitState::InWorkshop | VisitState::QualityCheck) {
            return false;
        }
        let (Some(started), Some(promised)) = (self.work_started(), self.promised_at) else { return false };
        let notice_due = deadlines::pickup_notice_due(promised, promised - started);
        let told = self.contacted(ContactPurpose::Delay).is_some_and(|c| c.at >= notice_due);
        now >= notice_due && !told
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visit::tests::signed_visit;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
    }

    fn name(n: &str) -> PersonName {
        PersonName::parse(n).unwrap()
    }

    fn check(stage: CheckStage, passed: bool, note: &str) -> VisitEvent {
        VisitEvent::Checked { check: QualityCheck { stage, by: name("李工"), at: at(12, 0), passed, note: note.into() } }
    }

    fn contact(purpose: ContactPurpose, at: DateTime<Utc>, new: Option<DateTime<Utc>>) -> CustomerContact {
        CustomerContact { purpose, at, channel: ContactChannel::Phone, said: "Told them".into(), new_promised_at: new }
    }

    #[test]
    fn the_hand_over_is_to_the_nearest_ten_minutes() {
        assert_eq!(Handover::new(name("李工"), at(9, 4)).at(), at(9, 0));
        assert_eq!(Handover::new(name("李工"), at(9, 5)).at(), at(9, 10));
        assert_eq!(Handover::new(name("李工"), at(9, 56) + Duration::seconds(10)).at(), at(10, 0));
    }

    #[test]
    fn from_hand_over_to_ready() {
        let mut v = signed_visit();
        assert_eq!(v.record(VisitEvent::WorkFinished { at: at(9, 0) }), Err(VisitError::Event(EventError::WrongState { state: VisitState::WrittenUpAndSigned })));
        v.record(VisitEvent::HandedOver { handover: Handover::new(name("李工"), at(9, 3)) }).unwrap();
        assert_eq!(v.state, VisitState::InWorkshop);
        assert_eq!(v.work_started(), Some(at(9, 0)));
        v.record(VisitEvent::WorkFinished { at: at(11, 0) }).unwrap();
        assert_eq!(v.record(check(CheckStage::TeamLead, true, "")), Err(VisitError::Event(EventError::CheckOutOfOrder { expected: CheckStage::Technician })));
        let notice = contact(ContactPurpose::PickupNotice, at(12, 0), None);
        assert_eq!(v.record(VisitEvent::Ready { notice: notice.clone() }), Err(VisitError::Event(EventError::ChecksIncomplete)));
        v.record(check(CheckStage::Technician, true, "")).unwrap();
        v.record(check(CheckStage::TeamLead, true, "")).unwrap();
        assert_eq!(v.record(check(CheckStage::FinalInspection, false, " ")), Err(VisitError::Event(EventError::FailureUnexplained)));
        // A failed final inspection: back to the workshop, and the checks start again.
        v.record(check(CheckStage::FinalInspection, false, "Squeal on the road test")).unwrap();
        assert_eq!((v.state, v.next_check()), (VisitState::InWorkshop, Some(CheckStage::Technician)));
        v.record(VisitEvent::WorkFinished { at: at(12, 30) }).unwrap();
        for stage in CheckStage::ALL {
            v.record(check(stage, true, "Road test 5 km, quiet")).unwrap();
        }
        assert_eq!(v.next_check(), None);
        assert_eq!(v.record(VisitEvent::Ready { notice: notice.clone() }), Err(VisitError::Event(EventError::NotWashed)));
        v.record(VisitEvent::Washed { at: at(13, 0) }).unwrap();
        let progress = contact(ContactPurpose::Progress, at(13, 0), None);
        assert_eq!(v.record(VisitEvent::Ready { notice: progress }), Err(VisitError::Event(EventError::NotAPickupNotice)));
        v.record(VisitEvent::Ready { notice }).unwrap();
        assert_eq!(v.state, VisitState::Ready);
        assert_eq!(v.quality.len(), 6);
    }

    #[test]
    fn what_was_said_is_required() {
        let mut v = signed_visit();
        v.record(VisitEvent::HandedOver { handover: Handover::new(name("李工"), at(9, 0)) }).unwrap();
        let mut silent = contact(ContactPurpose::Progress, at(10, 0), None);
        silent.said = "  ".into();
        assert_eq!(v.record(VisitEvent::Contacted { contact: silent }), Err(VisitError::Event(EventError::Text { max: MAX_SAID, length: 0 })));
        assert!(v.contacts.is_empty());
    }

    fn in_workshop(estimate_minutes: u32, promised: DateTime<Utc>) -> Visit {
        let mut v = signed_visit();
        v.estimate = Some(crate::jobs::Estimate { cost: crate::Money::new(0, crate::Currency::Cny), minutes: estimate_minutes, margin_percent: 0 });
        v.promised_at = Some(promised);
        v.record(VisitEvent::HandedOver { handover: Handover::new(name("李工"), at(9, 0)) }).unwrap();
        v
    }

    #[test]
    fn the_board_shows_the_next_deadline_by_the_rules() {
        // 4 hours from 9:00: progress check at 12:00, pickup notice at 16:00 for a 17:00 promise.
        let mut v = in_workshop(240, at(17, 0));
        assert_eq!(v.next_deadline(at(10, 0)), Some(Deadline { kind: DeadlineKind::ProgressCheck, due: at(12, 0), at_risk: false }));
        assert!(v.next_deadline(at(11, 45)).unwrap().at_risk);
        v.record(VisitEvent::Contacted { contact: contact(ContactPurpose::Progress, at(12, 0), None) }).unwrap();
        assert_eq!(v.next_deadline(at(12, 0)), Some(Deadline { kind: DeadlineKind::PickupNotice, due: at(16, 0), at_risk: false }));
        // A job longer than two days gets its notice 4 hours ahead.
        let long = in_workshop(240, at(9, 0) + Duration::days(3));
        let mut long = long;
        long.record(VisitEvent::Contacted { contact: contact(ContactPurpose::Progress, at(12, 0), None) }).unwrap();
        assert_eq!(long.next_deadline(at(12, 0)).unwrap().due, at(5, 0) + Duration::days(3));
        v.state = VisitState::Ready;
        assert_eq!(v.next_deadline(at(12, 0)), None);
    }

    #[test]
    fn a_late_job_asks_for_a_delay_notice_until_one_is_given() {
        let mut v = in_workshop(240, at(17, 0));
        assert!(!v.is_late(at(15, 59)));
        assert!(v.is_late(at(16, 0)));
        v.record(VisitEvent::Contacted { contact: contact(ContactPurpose::Delay, at(16, 5), Some(at(19, 0))) }).unwrap();
        assert_eq!(v.promised_at, Some(at(19, 0)));
        assert!(!v.is_late(at(16, 30)));
        // The new time's own notice comes due in turn; an apology without a new time answers it.
        assert!(v.is_late(at(18, 0)));
        v.record(VisitEvent::Contacted { contact: contact(ContactPurpose::Delay, at(18, 5), None) }).unwrap();
        assert!(!v.is_late(at(18, 10)));
    }
}
