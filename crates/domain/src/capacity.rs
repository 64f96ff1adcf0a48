//! Booking against real capacity with slack (DOMAIN.md step 1): how many visits a slot takes, how
//! many an advisor can receive in one, and which advisor receives a new one or a walk-in.
//!
//! Everything here is in UTC. The caller turns the dealership's local business hours for a day
//! into `open` and `close` instants (with the dealership's time zone, so daylight saving is
//! handled there) and passes only that day's bookings.

use crate::ids::AdvisorId;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Capacity {
    pub slot_minutes: u32,
    /// What the lane and the workshop can take in one slot.
    pub visits_per_slot: u32,
    /// What one advisor can receive in one slot.
    pub visits_per_advisor_per_slot: u32,
    /// Share of `visits_per_slot` not offered for booking: walk-ins and overruns need it.
    pub slack_percent: u8,
}

impl Capacity {
    /// Visits per slot that can be booked: the slack is held back (rounded in its favour), but a
    /// slot that takes any visit offers at least one.
    pub fn bookable_per_slot(&self) -> u32 {
        if self.visits_per_slot == 0 {
            return 0;
        }
        let kept = 100 - u64::from(self.slack_percent.min(100));
        let bookable = u64::from(self.visits_per_slot) * kept / 100;
        (bookable as u32).max(1)
    }
}

/// A visit already booked in a slot, with the advisor who receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booking {
    pub slot_start: DateTime<Utc>,
    pub advisor: AdvisorId,
}

/// A slot that can still be booked, and how many more visits it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreeSlot {
    pub start: DateTime<Utc>,
    pub room: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CapacityError {
    /// Full for the dealership, or every advisor is full in it.
    SlotFull { start: DateTime<Utc> },
    /// Not the start of one of the day's slots.
    NotASlot { start: DateTime<Utc> },
    NoAdvisors,
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CapacityError::SlotFull { start } => write!(f, "The slot at {start} is fully booked; choose another time."),
            CapacityError::NotASlot { start } => {
                write!(f, "{start} is not the start of a bookable slot; choose one of the offered times.")
            }
            CapacityError::NoAdvisors => write!(f, "No advisor works that day; choose another day."),
        }
    }
}

impl std::error::Error for CapacityError {}

/// The slot starts of a day: every `slot_minutes` from `open`, as long as the whole slot ends by
/// `close`.
pub fn slots(open: DateTime<Utc>, close: DateTime<Utc>, slot_minutes: u32) -> Vec<DateTime<Utc>> {
    if slot_minutes == 0 {
        return Vec::new();
    }
    let length = Duration::minutes(i64::from(slot_minutes));
    let mut starts = Vec::new();
    let mut start = open;
    while start + length <= close {
        starts.push(start);
        start += length;
    }
    starts
}

/// How many more visits a slot takes: the lesser of the dealership's room and the advisors'.
/// Bookings of advisors not in `advisors` (off that day) still use the dealership's room.
fn room(capacity: &Capacity, start: DateTime<Utc>, advisors: &[AdvisorId], bookings: &[Booking]) -> u32 {
    let in_slot = || bookings.iter().filter(move |b| b.slot_start == start);
    let slot_room = capacity.bookable_per_slot().saturating_sub(in_slot().count() as u32);
    let advisor_room: u32 = advisors
        .iter()
        .map(|a| capacity.visits_per_advisor_per_slot.saturating_sub(in_slot().filter(|b| &b.advisor == a).count() as u32))
        .sum();
    slot_room.min(advisor_room)
}

/// The day's slots that start after `now` and still have room.
pub fn free_slots(
    capacity: &Capacity,
    open: DateTime<Utc>,
    close: DateTime<Utc>,
    advisors: &[AdvisorId],
    bookings: &[Booking],
    now: DateTime<Utc>,
) -> Vec<FreeSlot> {
    slots(open, close, capacity.slot_minutes)
        .into_iter()
        .filter(|&start| start > now)
        .map(|start| FreeSlot { start, room: room(capacity, start, advisors, bookings) })
        .filter(|slot| slot.room > 0)
        .collect()
}

/// The advisor who receives a new booking at `slot_start`: of those with room in that slot, the
/// one with the fewest bookings that day (between `open` and `close`); on a tie, the first in
/// `advisors`, so the dealership's order decides. Whether the slot is still in the future is the
/// caller's check (it knows the time).
pub fn assign(
    capacity: &Capacity,
    open: DateTime<Utc>,
    close: DateTime<Utc>,
    slot_start: DateTime<Utc>,
    advisors: &[AdvisorId],
    bookings: &[Booking],
) -> Result<AdvisorId, CapacityError> {
    if advisors.is_empty() {
        return Err(CapacityError::NoAdvisors);
    }
    if !slots(open, close, capacity.slot_minutes).contains(&slot_start) {
        return Err(CapacityError::NotASlot { start: slot_start });
    }
    if room(capacity, slot_start, advisors, bookings) == 0 {
        return Err(CapacityError::SlotFull { start: slot_start });
    }
    let count = |advisor: &AdvisorId, in_slot_only: bool| {
        bookings
            .iter()
            .filter(|b| &b.advisor == advisor && b.slot_start >= open && b.slot_start < close)
            .filter(|b| !in_slot_only || b.slot_start == slot_start)
            .count()
    };
    advisors
        .iter()
        .filter(|a| (count(a, true) as u32) < capacity.visits_per_advisor_per_slot)
        .min_by_key(|a| count(a, false))
        .cloned()
        .ok_or(CapacityError::SlotFull { start: slot_start })
}

/// The advisor who receives a walk-in, who has no slot to fit: of `advisors` (the dealership's
/// active ones), the one with the fewest visits still open, that is checked in today and not yet
/// delivered; `open_visits` names the advisor of each. On a tie the lowest id, so the choice does
/// not depend on the order the rows came in. `None` without advisors: the customer is checked in
/// all the same, and staff at the desk take them.
pub fn walk_in_advisor(advisors: &[AdvisorId], open_visits: &[AdvisorId]) -> Option<AdvisorId> {
    advisors.iter().min_by_key(|&a| (open_visits.iter().filter(|v| *v == a).count(), a)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
    }

    fn advisor(id: &str) -> AdvisorId {
        AdvisorId::parse(id).unwrap()
    }

    fn booking(h: u32, m: u32, id: &str) -> Booking {
        Booking { slot_start: at(h, m), advisor: advisor(id) }
    }

    const CAPACITY: Capacity = Capacity { slot_minutes: 30, visits_per_slot: 4, visits_per_advisor_per_slot: 2, slack_percent: 25 };

    #[test]
    fn slack_is_held_back_but_a_slot_offers_one() {
        assert_eq!(CAPACITY.bookable_per_slot(), 3);
        assert_eq!(Capacity { visits_per_slot: 5, slack_percent: 30, ..CAPACITY }.bookable_per_slot(), 3); // 3.5
        assert_eq!(Capacity { visits_per_slot: 1, slack_percent: 50, ..CAPACITY }.bookable_per_slot(), 1);
        assert_eq!(Capacity { visits_per_slot: 2, slack_percent: 200, ..CAPACITY }.bookable_per_slot(), 1);
        assert_eq!(Capacity { visits_per_slot: 0, ..CAPACITY }.bookable_per_slot(), 0);
    }

    #[test]
    fn slots_end_by_closing_time() {
        assert_eq!(slots(at(8, 0), at(9, 45), 30), vec![at(8, 0), at(8, 30), at(9, 0)]);
        assert_eq!(slots(at(8, 0), at(9, 30), 30).len(), 3);
        assert!(slots(at(8, 0), at(8, 20), 30).is_empty());
        assert!(slots(at(8, 0), at(9, 0), 0).is_empty());
    }

    #[test]
    fn free_slots_are_future_slots_with_room() {
        let advisors = [advisor("adv-1"), advisor("adv-2")];
        let bookings = [booking(9, 0, "adv-1"), booking(9, 0, "adv-2"), booking(9, 0, "adv-1"), booking(9, 30, "adv-1")];
        let free = free_slots(&CAPACITY, at(8, 0), at(10, 0), &advisors, &bookings, at(8, 10));
        // 08:00 has begun; 09:00 holds its three bookable visits.
        assert_eq!(free, vec![FreeSlot { start: at(8, 30), room: 3 }, FreeSlot { start: at(9, 30), room: 2 }]);
    }

    #[test]
    fn room_respects_the_advisors_limits() {
        let one = [advisor("adv-1")];
        let free = free_slots(&CAPACITY, at(8, 0), at(9, 0), &one, &[booking(8, 30, "adv-1")], at(7, 0));
        assert_eq!(free, vec![FreeSlot { start: at(8, 0), room: 2 }, FreeSlot { start: at(8, 30), room: 1 }]);
        assert!(free_slots(&CAPACITY, at(8, 0), at(9, 0), &[], &[], at(7, 0)).is_empty());
    }

    #[test]
    fn assigns_the_least_loaded_advisor_with_room() {
        let advisors = [advisor("adv-1"), advisor("adv-2"), advisor("adv-3")];
        assert_eq!(assign(&CAPACITY, at(8, 0), at(12, 0), at(9, 0), &advisors, &[]), Ok(advisor("adv-1")));
        let day = [booking(8, 0, "adv-1"), booking(10, 0, "adv-2"), booking(10, 0, "adv-2"), booking(11, 0, "adv-3")];
        assert_eq!(assign(&CAPACITY, at(8, 0), at(12, 0), at(9, 0), &advisors, &day), Ok(advisor("adv-1")));
        // adv-1 is full at 08:00, so adv-3 (one booking that day) beats adv-2 (two).
        let full = [booking(8, 0, "adv-1"), booking(8, 0, "adv-1"), booking(10, 0, "adv-2"), booking(10, 0, "adv-2"), booking(11, 0, "adv-3")];
        assert_eq!(assign(&CAPACITY, at(8, 0), at(12, 0), at(8, 0), &advisors, &full), Ok(advisor("adv-3")));
        // Another day's bookings do not count.
        let yesterday = Booking { slot_start: at(9, 0) - Duration::days(1), advisor: advisor("adv-1") };
        assert_eq!(assign(&CAPACITY, at(8, 0), at(12, 0), at(9, 0), &advisors[..2], &[yesterday.clone(), yesterday, booking(10, 0, "adv-2")]), Ok(advisor("adv-1")));
    }

    #[test]
    fn a_walk_in_goes_to_the_advisor_with_the_fewest_open_visits() {
        let advisors = [advisor("adv-1"), advisor("adv-2"), advisor("adv-3")];
        let open = [advisor("adv-1"), advisor("adv-1"), advisor("adv-2"), advisor("adv-3"), advisor("adv-1")];
        assert_eq!(walk_in_advisor(&advisors, &open), Some(advisor("adv-2")));
        // Ties go to the lowest id, whatever order the advisors come in.
        let reversed = [advisor("adv-3"), advisor("adv-2"), advisor("adv-1")];
        assert_eq!(walk_in_advisor(&reversed, &[advisor("adv-1")]), Some(advisor("adv-2")));
        assert_eq!(walk_in_advisor(&reversed, &[]), Some(advisor("adv-1")));
        // Visits of an advisor who is not active any more count for no one.
        assert_eq!(walk_in_advisor(&advisors[1..], &[advisor("adv-1"), advisor("adv-2")]), Some(advisor("adv-3")));
        assert_eq!(walk_in_advisor(&[], &open), None);
    }

    #[test]
    fn refuses_full_slots_and_times_that_are_not_slots() {
        let advisors = [advisor("adv-1"), advisor("adv-2")];
        let full = [booking(9, 0, "adv-1"), booking(9, 0, "adv-2"), booking(9, 0, "adv-3")];
        assert_eq!(assign(&CAPACITY, at(8, 0), at(12, 0), at(9, 0), &advisors, &full), Err(CapacityError::SlotFull { start: at(9, 0) }));
        assert_eq!(assign(&CAPACITY, at(8, 0), at(12, 0), at(9, 10), &advisors, &[]), Err(CapacityError::NotASlot { start: at(9, 10) }));
        assert_eq!(assign(&CAPACITY, at(8, 0), at(12, 0), at(11, 30) + Duration::minutes(30), &advisors, &[]), Err(CapacityError::NotASlot { start: at(12, 0) }));
        assert_eq!(assign(&CAPACITY, at(8, 0), at(12, 0), at(9, 0), &[], &[]), Err(CapacityError::NoAdvisors));
    }
}
