//! Times are stored in UTC as fixed-width RFC 3339 text, so they sort as text on both databases.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

pub fn format_utc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A dealership's local wall-clock time in UTC; `None` for a time skipped by a clock change.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn stored_form_is_utc_with_millis() {
        let local = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(8, 0, 0).unwrap();
        let utc = local_to_utc(chrono_tz::Asia::Shanghai, local).unwrap();
        assert_eq!(format_utc(utc), "2026-11-24T00:00:00.000Z");
    }

    #[test]
    fn a_skipped_local_time_has_no_instant() {
        let skipped = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(local_to_utc(chrono_tz::America::New_York, skipped), None);
    }
}
