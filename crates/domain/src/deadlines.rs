//! The client's time rules (DOMAIN.md steps 8, 10, 13) as pure functions of UTC instants, so the
//! board, the reminders and the tests all derive the same deadlines.

use chrono::{DateTime, Duration, Utc};

/// Progress check at 75% of the estimated duration (the rule says 70-80%).
pub fn progress_check_due(work_started: DateTime<Utc>, estimated: Duration) -> DateTime<Utc> {
    work_started + estimated * 3 / 4
}

/// Jobs up to this long get the short pickup notice.
pub const SHORT_JOB: Duration = Duration::days(2);

/// Pickup notice: 1 hour before the promised time for a job of up to 2 days, 4 hours for longer.
pub fn pickup_notice_due(promised: DateTime<Utc>, job_duration: Duration) -> DateTime<Utc> {
    let ahead = if job_duration <= SHORT_JOB { Duration::hours(1) } else { Duration::hours(4) };
    promised - ahead
}

/// First follow-up call 3 days after delivery.
pub fn first_follow_up_due(delivered: DateTime<Utc>) -> DateTime<Utc> {
    delivered + Duration::days(3)
}

/// The first call is made 3 days to a week after delivery.
pub fn first_follow_up_latest(delivered: DateTime<Utc>) -> DateTime<Utc> {
    delivered + Duration::days(7)
}

/// The second call within 7 days of the first.
pub fn second_follow_up_due(first_call: DateTime<Utc>) -> DateTime<Utc> {
    first_call + Duration::days(7)
}

/// A proposal to the customer within 72 hours of the complaint.
pub fn complaint_proposal_due(opened: DateTime<Utc>) -> DateTime<Utc> {
    opened + Duration::hours(72)
}

/// An unresolved complaint goes to the supervisor within 2 days.
pub fn complaint_escalation_due(opened: DateTime<Utc>) -> DateTime<Utc> {
    opened + Duration::days(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
    }

    #[test]
    fn progress_check_at_three_quarters() {
        assert_eq!(progress_check_due(at(8, 0), Duration::hours(4)), at(11, 0));
        assert_eq!(progress_check_due(at(8, 0), Duration::minutes(90)), at(9, 7) + Duration::seconds(30));
    }

    #[test]
    fn pickup_notice_depends_on_job_length() {
        assert_eq!(pickup_notice_due(at(17, 0), Duration::hours(3)), at(16, 0));
        assert_eq!(pickup_notice_due(at(17, 0), Duration::days(2)), at(16, 0));
        assert_eq!(pickup_notice_due(at(17, 0), Duration::days(2) + Duration::minutes(1)), at(13, 0));
    }

    #[test]
    fn follow_up_and_escalation() {
        assert_eq!(first_follow_up_due(at(10, 0)), Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap());
        assert_eq!(complaint_escalation_due(at(10, 0)), Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap());
        assert_eq!(complaint_proposal_due(at(10, 0)), Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap());
        assert_eq!(first_follow_up_latest(at(10, 0)), Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap());
        assert_eq!(second_follow_up_due(at(10, 0)), Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap());
    }
}
