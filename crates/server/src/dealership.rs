//! The dealership's settings as the rules need them: its time zone, capacity, opening hours and
//! advisors, the bookings that take up its slots and the visits that keep its advisors busy.

use crate::time::{format_utc, local_to_utc};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use lane_domain::capacity::{Booking, Capacity};
use lane_domain::ids::AdvisorId;
use sqlx::AnyConnection;

pub struct Dealership {
    pub id: String,
    pub time_zone: Tz,
    pub currency: String,
    pub capacity: Capacity,
}

impl Dealership {
    pub async fn load(conn: &mut AnyConnection, id: &str) -> Result<Dealership, sqlx::Error> {
        let (id, tz, currency, slot, per_slot, per_advisor, slack): (String, String, String, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT id, time_zone, currency, slot_minutes, visits_per_slot, visits_per_advisor_per_slot, slack_percent FROM dealerships WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        Ok(Dealership {
            id,
            // The column is only written from chrono_tz names; UTC keeps a hand-edited row usable.
            time_zone: tz.parse().unwrap_or(chrono_tz::UTC),
            currency,
            capacity: Capacity {
                slot_minutes: slot as u32,
                visits_per_slot: per_slot as u32,
                visits_per_advisor_per_slot: per_advisor as u32,
                slack_percent: slack as u8,
            },
        })
    }

    /// Opening and closing of a local day in UTC, or `None` when closed that day.
    pub async fn hours(&self, conn: &mut AnyConnection, day: NaiveDate) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>, sqlx::Error> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT opens, closes FROM business_hours WHERE dealership_id = $1 AND iso_weekday = $2")
                .bind(&self.id)
                .bind(i64::from(day.weekday().number_from_monday()))
                .fetch_optional(&mut *conn)
                .await?;
        Ok(row.and_then(|(opens, closes)| {
            let at = |hhmm: &str| {
                NaiveTime::parse_from_str(hhmm, "%H:%M").ok().and_then(|t| local_to_utc(self.time_zone, day.and_time(t)))
            };
            Some((at(&opens)?, at(&closes)?))
        }))
    }

    pub async fn advisors(&self, conn: &mut AnyConnection) -> Result<Vec<AdvisorId>, sqlx::Error> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM advisors WHERE dealership_id = $1 AND active = TRUE ORDER BY id")
            .bind(&self.id)
            .fetch_all(&mut *conn)
            .await?;
        Ok(ids.iter().filter_map(|id| AdvisorId::parse(id).ok()).collect())
    }

    /// Booked (not cancelled) appointments between two instants.
    pub async fn bookings(&self, conn: &mut AnyConnection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Booking>, sqlx::Error> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT slot_start, advisor_id FROM appointments WHERE dealership_id = $1 AND slot_start >= $2 AND slot_start < $3 \
             AND status IN ('booked', 'arrived')",
        )
        .bind(&self.id)
        .bind(format_utc(from))
        .bind(format_utc(to))
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(start, advisor)| {
                Some(Booking { slot_start: start.parse().ok()?, advisor: AdvisorId::parse(&advisor).ok()? })
            })
            .collect())
    }

    /// The advisor of each visit checked in on a local day and not yet delivered.
    pub async fn open_visits(&self, conn: &mut AnyConnection, day: NaiveDate) -> Result<Vec<AdvisorId>, sqlx::Error> {
        // A UTC range that holds the local day in any time zone (offsets are -12 to +14 hours),
        // narrowed by the local date below: no local midnight to find, which a clock change can skip.
        let midnight = day.and_time(NaiveTime::MIN).and_utc();
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT advisor_id, checked_in_at FROM visits WHERE dealership_id = $1 AND state <> 'delivered' AND advisor_id IS NOT NULL \
             AND checked_in_at >= $2 AND checked_in_at < $3",
        )
        .bind(&self.id)
        .bind(format_utc(midnight - Duration::days(1)))
        .bind(format_utc(midnight + Duration::days(2)))
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|(_, at)| at.parse::<DateTime<Utc>>().is_ok_and(|at| at.with_timezone(&self.time_zone).date_naive() == day))
            .filter_map(|(advisor, _)| AdvisorId::parse(&advisor).ok())
            .collect())
    }
}
