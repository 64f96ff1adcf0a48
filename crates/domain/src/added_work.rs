//! Added work (追加项目, DOMAIN.md step 7): the supplementary order a customer signs in person to
//! approve the work the workshop found, and the answer recorded line by line otherwise.

use crate::document::Heading;
use crate::ids::JobLineId;
use crate::jobs::{lines_total, Channel, Decision, JobError, JobLine};
use crate::visit::{Visit, VisitError, VisitState};
use crate::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The signed content: the added lines waiting for an answer, which the signature approves.
/// Field order is part of the canonical form: add fields at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddedWorkApproval {
    pub heading: Heading,
    pub lines: Vec<JobLine>,
    /// What the lines add to the bill.
    pub total: Money,
    pub extra_minutes: u32,
    /// The new promised time, as the advisor set it for the customer.
    pub promised_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddedWorkError {
    /// Added work is agreed while the car is in: after the order is signed, before it is ready.
    NotInWorkshop { state: VisitState },
    NothingPending,
    Total(JobError),
}

impl fmt::Display for AddedWorkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddedWorkError::NotInWorkshop { .. } => write!(f, "Added work is agreed while the car is in the workshop."),
            AddedWorkError::NothingPending => write!(f, "No added work is waiting for the customer's answer."),
            AddedWorkError::Total(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AddedWorkError {}

/// Whether added work can be agreed with the visit where it stands.
pub fn open_for_added_work(state: VisitState) -> bool {
    matches!(state, VisitState::WrittenUpAndSigned | VisitState::InWorkshop | VisitState::QualityCheck)
}

/// The added lines waiting for the customer's answer.
pub fn pending(visit: &Visit) -> impl Iterator<Item = &JobLine> {
    visit.job_lines.iter().filter(|l| l.added.as_ref().is_some_and(|a| a.decision == Decision::Pending))
}

impl AddedWorkApproval {
    pub fn of(visit: &Visit, heading: Heading) -> Result<AddedWorkApproval, AddedWorkError> {
        if !open_for_added_work(visit.state) {
            return Err(AddedWorkError::NotInWorkshop { state: visit.state });
        }
        let lines: Vec<JobLine> = pending(visit).cloned().collect();
        let first = lines.first().ok_or(AddedWorkError::NothingPending)?;
        Ok(AddedWorkApproval {
            heading,
            total: lines_total(&lines, first.unit_price.currency).map_err(AddedWorkError::Total)?,
            extra_minutes: lines.iter().filter_map(|l| l.added.as_ref()).map(|a| a.extra_minutes).sum(),
            promised_at: visit.promised_at,
            lines,
        })
    }
}

impl Visit {
    /// Records the customer's answer to one added line, given by phone (with the advisor's note)
    /// or a decline in person; an approval in person is signed for instead.
    pub fn answer(&mut self, line: &JobLineId, decision: Decision) -> Result<(), VisitError> {
        if !open_for_added_work(self.state) {
            return Err(VisitError::AddedWork(AddedWorkError::NotInWorkshop { state: self.state }));
        }
        if matches!(&decision, Decision::Approved(a) if a.channel == Channel::InPerson) {
            return Err(VisitError::ApprovalIsSigned);
        }
        let found = self.job_lines.iter_mut().find(|l| &l.id == line).ok_or(VisitError::NoSuchLine { line: line.clone() })?;
        let added = found.added.as_mut().ok_or(VisitError::LineNotAddedWork { line: line.clone() })?;
        added.decide(decision).map_err(|error| VisitError::Job { line: line.clone(), error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::PersonName;
    use crate::document::tests::heading;
    use crate::jobs::Answer;
    use crate::visit::tests::{added_line, signed_visit};
    use chrono::TimeZone;

    fn answer(channel: Channel, note: &str) -> Answer {
        Answer { at: Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).unwrap(), by: PersonName::parse("王小明").unwrap(), channel, note: note.into() }
    }

    #[test]
    fn the_approval_lists_the_pending_lines_only() {
        let mut v = signed_visit();
        assert_eq!(AddedWorkApproval::of(&v, heading()), Err(AddedWorkError::NothingPending));
        v.job_lines.push(added_line("j-2", Decision::Pending));
        v.job_lines.push(added_line("j-3", Decision::Declined(answer(Channel::Phone, "Next time"))));
        let approval = AddedWorkApproval::of(&v, heading()).unwrap();
        assert_eq!(approval.lines.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), vec!["j-2"]);
        assert_eq!((approval.total.minor, approval.extra_minutes), (45_000, 30));
    }

    #[test]
    fn an_answer_is_given_once_and_an_approval_in_person_is_signed() {
        let mut v = signed_visit();
        v.job_lines.push(added_line("j-2", Decision::Pending));
        let j2 = JobLineId::parse("j-2").unwrap();
        let approve = |channel, note| Decision::Approved(answer(channel, note));
        assert_eq!(v.answer(&j2, approve(Channel::InPerson, "")), Err(VisitError::ApprovalIsSigned));
        assert!(matches!(v.answer(&j2, approve(Channel::Phone, "")), Err(VisitError::Job { error: JobError::PhoneAnswerUnnoted, .. })));
        v.answer(&j2, approve(Channel::Phone, "Go ahead")).unwrap();
        assert!(matches!(v.answer(&j2, approve(Channel::Phone, "Again")), Err(VisitError::Job { error: JobError::AlreadyDecided, .. })));
        let j1 = JobLineId::parse("j-1").unwrap();
        assert_eq!(v.answer(&j1, approve(Channel::Phone, "Yes")), Err(VisitError::LineNotAddedWork { line: j1 }));
        v.state = VisitState::Ready;
        assert!(matches!(v.answer(&j2, approve(Channel::Phone, "Yes")), Err(VisitError::AddedWork(_))));
    }
}
