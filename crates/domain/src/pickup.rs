//! Pickup (交车, DOMAIN.md step 11): what is handed back with the car, and the acceptance the
//! customer signs: the work done and every charge line against the estimate, both readings, the
//! drop-off walk-around with any new mark, the belongings returned and the keys.

use crate::document::Heading;
use crate::jobs::{order_total, Decision, Estimate, JobError, JobLine};
use crate::readings::{DropOffReadings, PickupReadings};
use crate::visit::{Visit, VisitState};
use crate::walkaround::{Belongings, DamageMark, KeyTag, Walkaround};
use crate::Money;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What the advisor ticks off while handing the car back.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Handback {
    /// Damage seen at pickup that the drop-off walk-around does not show.
    #[serde(default)]
    pub new_marks: Vec<DamageMark>,
    /// The items of the belongings list given back, as listed.
    #[serde(default)]
    pub returned: Vec<String>,
    #[serde(default)]
    pub keys_returned: bool,
}

impl Handback {
    /// New marks are new (not a drop-off mark again, none twice), and only listed items are
    /// returned, each once.
    pub fn check(&self, drop_off: &Walkaround, belongings: &Belongings) -> Result<(), PickupError> {
        let marks = Walkaround { marks: self.new_marks.clone(), ..Walkaround::default() };
        marks.check().map_err(|_| PickupError::MarkTwice)?;
        if self.new_marks.iter().any(|m| drop_off.marks.iter().any(|d| d.id == m.id)) {
            return Err(PickupError::MarkTwice);
        }
        for (i, item) in self.returned.iter().enumerate() {
            if !belongings.items.contains(item) || self.returned[..i].contains(item) {
                return Err(PickupError::NotOnTheList { item: item.clone() });
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickupError {
    /// The car is not ready (or already delivered).
    NotReady { state: VisitState },
    NoReadings,
    /// Added work still waits for the customer's answer.
    AddedWorkPending,
    BelongingNotReturned { item: String },
    KeysNotReturned,
    NotOnTheList { item: String },
    MarkTwice,
    NoEstimate,
    Total(JobError),
}

impl fmt::Display for PickupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PickupError::NotReady { state: VisitState::Delivered } => write!(f, "The car was delivered already."),
            PickupError::NotReady { .. } => write!(f, "The car is not ready yet: the quality checks, the wash and the pickup notice come first."),
            PickupError::NoReadings => write!(f, "Record the odometer and fuel at pickup first."),
            PickupError::AddedWorkPending => write!(f, "The customer has not answered all the added work yet."),
            PickupError::BelongingNotReturned { item } => write!(f, "Hand back \"{item}\" and tick it before the customer signs."),
            PickupError::KeysNotReturned => write!(f, "Hand back the keys and tick it before the customer signs."),
            PickupError::NotOnTheList { item } => write!(f, "\"{item}\" is not on the belongings list, or is ticked twice."),
            PickupError::MarkTwice => write!(f, "That damage is marked already."),
            PickupError::NoEstimate => write!(f, "The order has no estimate to compare the charges with."),
            PickupError::Total(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PickupError {}

/// The signed content. Field order is part of the canonical form: add fields at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickupAcceptance {
    pub heading: Heading,
    /// The work charged: the signed order's lines and the approved added work.
    pub charged: Vec<JobLine>,
    /// Added work the customer declined: recommended for next time.
    pub declined: Vec<JobLine>,
    /// The drop-off estimate, against which the final total is read.
    pub estimate: Estimate,
    pub total: Money,
    pub drop_off: DropOffReadings,
    pub pickup: PickupReadings,
    /// The damage marked at drop-off, and what is new since.
    pub drop_off_marks: Vec<DamageMark>,
    pub new_marks: Vec<DamageMark>,
    pub belongings_returned: Vec<String>,
    pub key_tag: Option<KeyTag>,
    pub keys_returned: bool,
}

impl PickupAcceptance {
    /// The acceptance for a ready car, once everything is handed back.
    pub fn of(visit: &Visit, heading: Heading) -> Result<PickupAcceptance, PickupError> {
        if visit.state != VisitState::Ready {
            return Err(PickupError::NotReady { state: visit.state });
        }
        let pending = visit.job_lines.iter().any(|l| l.added.as_ref().is_some_and(|a| a.decision == Decision::Pending));
        if pending {
            return Err(PickupError::AddedWorkPending);
        }
        if let Some(item) = visit.belongings.items.iter().find(|i| !visit.handback.returned.contains(i)) {
            return Err(PickupError::BelongingNotReturned { item: item.clone() });
        }
        if !visit.handback.keys_returned {
            return Err(PickupError::KeysNotReturned);
        }
        PickupAcceptance::as_signed(visit, heading)
    }

    /// The acceptance as [`PickupAcceptance::of`] builds it, whatever the visit's state: what a
    /// delivered visit shows and prints.
    pub fn as_signed(visit: &Visit, heading: Heading) -> Result<PickupAcceptance, PickupError> {
        let pickup = visit.pickup.clone().ok_or(PickupError::NoReadings)?;
        let drop_off = visit.drop_off.clone().ok_or(PickupError::NoReadings)?;
        let Bill { charged, declined, estimate, total } = Bill::of(visit)?;
        Ok(PickupAcceptance {
            heading,
            charged,
            declined,
            estimate,
            total,
            drop_off,
            pickup,
            drop_off_marks: visit.walkaround.marks.clone(),
            new_marks: visit.handback.new_marks.clone(),
            belongings_returned: visit.handback.returned.clone(),
            key_tag: visit.key_tag.clone(),
            keys_returned: visit.handback.keys_returned,
        })
    }

}

/// What the customer pays at pickup, against what they were told at drop-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    /// The signed order's lines and the approved added work.
    pub charged: Vec<JobLine>,
    /// Added work the customer declined.
    pub declined: Vec<JobLine>,
    pub estimate: Estimate,
    pub total: Money,
}

impl Bill {
    pub fn of(visit: &Visit) -> Result<Bill, PickupError> {
        let estimate = visit.estimate.ok_or(PickupError::NoEstimate)?;
        let (charged, declined): (Vec<JobLine>, Vec<JobLine>) =
            visit.job_lines.iter().filter(|l| l.added.as_ref().is_none_or(|a| a.decision != Decision::Pending)).cloned().partition(JobLine::is_charged);
        let total = order_total(&charged, estimate.cost.currency).map_err(PickupError::Total)?;
        Ok(Bill { charged, declined, estimate, total })
    }

    /// How far the total is above the estimate's upper bound (the estimate plus its margin);
    /// zero when within it. Approved added work is the usual reason.
    pub fn over_estimate(&self) -> Money {
        let over = self.total.minor - self.estimate.max_cost().minor;
        Money::new(over.max(0), self.total.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::tests::heading;
    use crate::ids::DamageMarkId;
    use crate::visit::tests::ready_visit;
    use crate::walkaround::{DamageKind, Note, Severity, Zone};

    fn mark(id: &str) -> DamageMark {
        DamageMark {
            id: DamageMarkId::parse(id).unwrap(),
            zone: Zone::Bonnet,
            kind: DamageKind::Scratch,
            severity: Severity::Minor,
            note: Note::parse("").unwrap(),
            photos: vec![],
        }
    }

    #[test]
    fn the_acceptance_needs_everything_handed_back() {
        let mut v = ready_visit();
        v.belongings.items = vec!["Child seat".into()];
        assert_eq!(PickupAcceptance::of(&v, heading()), Err(PickupError::BelongingNotReturned { item: "Child seat".into() }));
        v.handback.returned = vec!["Child seat".into()];
        assert_eq!(PickupAcceptance::of(&v, heading()), Err(PickupError::KeysNotReturned));
        v.handback.keys_returned = true;
        let acceptance = PickupAcceptance::of(&v, heading()).unwrap();
        assert_eq!(acceptance.belongings_returned, vec!["Child seat".to_owned()]);
        // The signed line and the approved added one are charged; the declined one is recommended.
        let ids = |lines: &[JobLine]| lines.iter().map(|l| l.id.to_string()).collect::<Vec<_>>();
        assert_eq!((ids(&acceptance.charged), ids(&acceptance.declined)), (vec!["j-1".to_owned(), "j-2".to_owned()], vec!["j-3".to_owned()]));
        assert_eq!(acceptance.total, Money::new(30_000 + 45_000, crate::Currency::Cny));
        assert_eq!(Bill::of(&v).unwrap().over_estimate(), Money::new(75_000 - 33_000, crate::Currency::Cny));
        v.state = VisitState::QualityCheck;
        assert_eq!(PickupAcceptance::of(&v, heading()), Err(PickupError::NotReady { state: VisitState::QualityCheck }));
    }

    #[test]
    fn a_handback_ticks_only_what_was_listed_and_marks_only_what_is_new() {
        let mut drop_off = Walkaround::default();
        drop_off.marks.push(mark("m-1"));
        let belongings = Belongings { items: vec!["Umbrella".into()], valuables_reminder_confirmed: true };
        let handback = |marks: Vec<DamageMark>, returned: Vec<&str>| Handback { new_marks: marks, returned: returned.into_iter().map(str::to_owned).collect(), keys_returned: true };
        assert_eq!(handback(vec![mark("m-2")], vec!["Umbrella"]).check(&drop_off, &belongings), Ok(()));
        assert_eq!(handback(vec![mark("m-1")], vec![]).check(&drop_off, &belongings), Err(PickupError::MarkTwice));
        assert_eq!(handback(vec![mark("m-2"), mark("m-2")], vec![]).check(&drop_off, &belongings), Err(PickupError::MarkTwice));
        assert_eq!(handback(vec![], vec!["Laptop"]).check(&drop_off, &belongings), Err(PickupError::NotOnTheList { item: "Laptop".into() }));
        assert_eq!(handback(vec![], vec!["Umbrella", "Umbrella"]).check(&drop_off, &belongings), Err(PickupError::NotOnTheList { item: "Umbrella".into() }));
    }
}
