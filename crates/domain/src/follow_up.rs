//! After delivery (DOMAIN.md steps 12-13): the follow-up calls, the complaint a call can open with
//! its deadlines, and the customer classes that set how often the dealership keeps in touch.

use crate::customer::PersonName;
use crate::deadlines;
use crate::visit::Visit;
use crate::workshop::{said, EventError};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CallOutcome {
    Satisfied,
    /// Not reached: the call is still due.
    NoAnswer,
    /// The customer is not satisfied: a complaint opens, with the call's note as its summary.
    Complaint,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 3] = [CallOutcome::Satisfied, CallOutcome::NoAnswer, CallOutcome::Complaint];
}

/// One follow-up call, logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpCall {
    pub at: DateTime<Utc>,
    pub by: PersonName,
    pub outcome: CallOutcome,
    #[serde(default)]
    pub note: String,
}

impl FollowUpCall {
    /// The call as kept: after the delivery, its note within bounds, and a complaint described.
    pub(crate) fn checked(self, delivered: DateTime<Utc>) -> Result<FollowUpCall, EventError> {
        if self.at < delivered {
            return Err(EventError::BeforeItsTime);
        }
        let note = said(&self.note, self.outcome == CallOutcome::Complaint)?;
        Ok(FollowUpCall { note, ..self })
    }

    pub fn complaint(&self) -> Option<&str> {
        (self.outcome == CallOutcome::Complaint).then_some(self.note.as_str())
    }

    fn reached(&self) -> bool {
        self.outcome != CallOutcome::NoAnswer
    }
}

/// The call to make next: the first from 3 days after delivery to a week after, the second
/// within 7 days of the first that reached the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextCall {
    /// 1 or 2.
    pub number: u8,
    pub from: DateTime<Utc>,
    pub due: DateTime<Utc>,
}

/// None once both calls reached the customer.
pub fn next_call(delivered: DateTime<Utc>, calls: &[FollowUpCall]) -> Option<NextCall> {
    let mut reached = calls.iter().filter(|c| c.reached());
    match (reached.next(), reached.next()) {
        (None, _) => Some(NextCall { number: 1, from: deadlines::first_follow_up_due(delivered), due: deadlines::first_follow_up_latest(delivered) }),
        (Some(first), None) => Some(NextCall { number: 2, from: first.at, due: deadlines::second_follow_up_due(first.at) }),
        _ => None,
    }
}

impl Visit {
    /// The last time the dealership spoke with the customer after this visit: the latest follow-up
    /// call that reached them, else the delivery. None before delivery. A customer's class counts
    /// its next contact from here ([`CustomerClass::next_contact_due`]).
    pub fn last_contact(&self) -> Option<DateTime<Utc>> {
        let delivered = self.delivered_at?;
        Some(self.follow_up.iter().filter(|c| c.reached()).map(|c| c.at).fold(delivered, DateTime::max))
    }
}

/// What was done about a complaint, once each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ComplaintStep {
    /// Passed to the supervisor (within 2 days, if not answered at once).
    Escalated { at: DateTime<Utc>, to: PersonName },
    /// The proposal made to the customer (within 72 hours).
    Proposed { at: DateTime<Utc>, proposal: String },
    /// Solved, and the customer told that day.
    Resolved { at: DateTime<Utc>, note: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Complaint {
    pub opened_at: DateTime<Utc>,
    pub summary: String,
    #[serde(default)]
    pub steps: Vec<ComplaintStep>,
}

impl Complaint {
    pub(crate) fn open(at: DateTime<Utc>, summary: String) -> Complaint {
        Complaint { opened_at: at, summary, steps: Vec::new() }
    }

    pub fn escalation_due(&self) -> DateTime<Utc> {
        deadlines::complaint_escalation_due(self.opened_at)
    }

    pub fn proposal_due(&self) -> DateTime<Utc> {
        deadlines::complaint_proposal_due(self.opened_at)
    }

    pub fn escalated(&self) -> Option<DateTime<Utc>> {
        self.steps.iter().find_map(|s| match s {
            ComplaintStep::Escalated { at, .. } => Some(*at),
            _ => None,
        })
    }

    pub fn proposed(&self) -> Option<DateTime<Utc>> {
        self.steps.iter().find_map(|s| match s {
            ComplaintStep::Proposed { at, .. } => Some(*at),
            _ => None,
        })
    }

    pub fn resolved(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, ComplaintStep::Resolved { .. }))
    }

    pub(crate) fn take(&mut self, step: ComplaintStep) -> Result<(), EventError> {
        if self.resolved() {
            return Err(EventError::ComplaintClosed);
        }
        let step = match step {
            ComplaintStep::Escalated { at, .. } | ComplaintStep::Proposed { at, .. } | ComplaintStep::Resolved { at, .. } if at < self.opened_at => {
                return Err(EventError::BeforeItsTime)
            }
            ComplaintStep::Proposed { at, proposal } => ComplaintStep::Proposed { at, proposal: said(&proposal, true)? },
            ComplaintStep::Resolved { at, note } => ComplaintStep::Resolved { at, note: said(&note, true)? },
            escalated => escalated,
        };
        self.steps.push(step);
        Ok(())
    }
}

/// The dealership's classes of customer (step 12), by how often they are contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CustomerClass {
    A,
    B,
    C,
}

impl CustomerClass {
    pub const ALL: [CustomerClass; 3] = [CustomerClass::A, CustomerClass::B, CustomerClass::C];

    /// A weekly, B monthly, C at least every six months.
    pub fn contact_every(self) -> Duration {
        match self {
            CustomerClass::A => Duration::days(7),
            CustomerClass::B => Duration::days(30),
            CustomerClass::C => Duration::days(182),
        }
    }

    pub fn next_contact_due(self, last_contact: DateTime<Utc>) -> DateTime<Utc> {
        last_contact + self.contact_every()
    }

    pub fn parse(text: &str) -> Option<CustomerClass> {
        CustomerClass::ALL.into_iter().find(|c| c.letter() == text)
    }

    pub fn letter(self) -> &'static str {
        match self {
            CustomerClass::A => "A",
            CustomerClass::B => "B",
            CustomerClass::C => "C",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
    }

    fn call(at: DateTime<Utc>, outcome: CallOutcome, note: &str) -> FollowUpCall {
        FollowUpCall { at, by: PersonName::parse("Ana").unwrap(), outcome, note: note.into() }
    }

    #[test]
    fn the_calls_come_due_by_the_rules() {
        let delivered = day(2, 10);
        assert_eq!(next_call(delivered, &[]), Some(NextCall { number: 1, from: day(5, 10), due: day(9, 10) }));
        let missed = call(day(5, 11), CallOutcome::NoAnswer, "");
        assert_eq!(next_call(delivered, std::slice::from_ref(&missed)).unwrap().number, 1);
        let first = call(day(6, 9), CallOutcome::Satisfied, "");
        assert_eq!(next_call(delivered, &[missed.clone(), first.clone()]), Some(NextCall { number: 2, from: day(6, 9), due: day(13, 9) }));
        assert_eq!(next_call(delivered, &[missed, first, call(day(12, 9), CallOutcome::Satisfied, "")]), None);
    }

    #[test]
    fn a_call_is_checked() {
        assert_eq!(call(day(1, 9), CallOutcome::Satisfied, "").checked(day(2, 10)), Err(EventError::BeforeItsTime));
        assert_eq!(call(day(5, 9), CallOutcome::Complaint, " ").checked(day(2, 10)), Err(EventError::Text { max: crate::workshop::MAX_SAID, length: 0 }));
        assert_eq!(call(day(5, 9), CallOutcome::Complaint, " Noise is back ").checked(day(2, 10)).unwrap().complaint(), Some("Noise is back"));
    }

    #[test]
    fn a_complaint_has_its_deadlines_and_steps() {
        let mut complaint = Complaint::open(day(5, 9), "Noise is back".into());
        assert_eq!((complaint.escalation_due(), complaint.proposal_due()), (day(7, 9), day(8, 9)));
        assert_eq!(complaint.take(ComplaintStep::Proposed { at: day(4, 9), proposal: "x".into() }), Err(EventError::BeforeItsTime));
        complaint.take(ComplaintStep::Escalated { at: day(6, 9), to: PersonName::parse("Supervisor Kim").unwrap() }).unwrap();
        complaint.take(ComplaintStep::Proposed { at: day(7, 9), proposal: "Free re-check".into() }).unwrap();
        assert_eq!((complaint.escalated(), complaint.proposed()), (Some(day(6, 9)), Some(day(7, 9))));
        complaint.take(ComplaintStep::Resolved { at: day(8, 9), note: "Fixed, customer told".into() }).unwrap();
        assert_eq!(complaint.take(ComplaintStep::Resolved { at: day(9, 9), note: "again".into() }), Err(EventError::ComplaintClosed));
    }

    #[test]
    fn the_last_contact_is_the_last_call_that_reached_the_customer() {
        let mut visit = crate::visit::tests::signed_visit();
        assert_eq!(visit.last_contact(), None);
        visit.delivered_at = Some(day(2, 10));
        assert_eq!(visit.last_contact(), Some(day(2, 10)));
        visit.follow_up = vec![call(day(5, 9), CallOutcome::Satisfied, ""), call(day(6, 9), CallOutcome::NoAnswer, "")];
        assert_eq!(visit.last_contact(), Some(day(5, 9)));
    }

    #[test]
    fn classes_set_the_next_contact() {
        assert_eq!(CustomerClass::A.next_contact_due(day(1, 9)), day(8, 9));
        assert_eq!(CustomerClass::B.next_contact_due(day(1, 9)), Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap());
        assert_eq!(CustomerClass::C.contact_every(), Duration::days(182));
        assert_eq!(CustomerClass::parse("B"), Some(CustomerClass::B));
        assert_eq!(serde_json::to_string(&CustomerClass::A).unwrap(), "\"A\"");
    }
}
