//! The jobs on a repair order (DOMAIN.md steps 5 and 7): labour and parts, the estimate, and added
//! work that the customer approves or declines.

use crate::catalogue::ServiceType;
use crate::customer::PersonName;
use crate::decimal::{parse_scaled, DecimalError};
use crate::ids::{JobLineId, ServiceTypeId};
use crate::money::CurrencyMismatch;
use crate::newtype::trimmed_within;
use crate::{Currency, Money};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a part comes from; only parts have a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PartSource {
    Original,
    Aftermarket,
    /// Brought by the customer: the dealership gives no quality guarantee on it.
    CustomerSupplied,
}

/// What a line charges for. On the wire: `{"kind":"labour"}`, `{"kind":"part","source":"original"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum JobItem {
    Labour,
    Part { source: PartSource },
}

/// How the order prices its work (DOMAIN.md step 5), stated on the order the customer signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PricingBasis {
    /// A price for the work on one system of the car (brakes, cooling, …).
    BySystem,
    /// A price for curing the symptom the customer reported, whatever it takes.
    BySymptom,
    /// Each labour and part line priced on its own: the usual basis, and the default.
    #[default]
    ByItem,
}

impl PricingBasis {
    pub const ALL: [PricingBasis; 3] = [PricingBasis::ByItem, PricingBasis::BySystem, PricingBasis::BySymptom];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Channel {
    InPerson,
    Phone,
}

/// The customer's answer to added work, with when, who answered and how: the record the rule
/// asks for (DOMAIN.md step 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Decision {
    Pending,
    Approved(Answer),
    Declined(Answer),
}

/// Who answered, when and how. A phone answer carries the advisor's note of the call, the only
/// record of it; one in person is signed for (`DocumentKind::AddedWorkApproval`) or noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub at: DateTime<Utc>,
    pub by: PersonName,
    pub channel: Channel,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Decision {
    pub fn answer(&self) -> Option<&Answer> {
        match self {
            Decision::Pending => None,
            Decision::Approved(answer) | Decision::Declined(answer) => Some(answer),
        }
    }
}

/// Work the workshop found after the order was signed (追加项目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddedWork {
    /// Why it is needed, as explained to the customer.
    pub reason: String,
    /// A safety item: the advisor says so when calling.
    pub safety: bool,
    /// How much longer the visit takes if approved.
    pub extra_minutes: u32,
    pub decision: Decision,
}

impl AddedWork {
    /// An answer is recorded once: changing it would rewrite what the customer said.
    pub fn decide(&mut self, decision: Decision) -> Result<(), JobError> {
        if self.decision != Decision::Pending {
            return Err(JobError::AlreadyDecided);
        }
        if decision == Decision::Pending {
            return Err(JobError::NotAnAnswer);
        }
        if decision.answer().is_some_and(|a| a.channel == Channel::Phone && a.note.trim().is_empty()) {
            return Err(JobError::PhoneAnswerUnnoted);
        }
        self.decision = decision;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobLine {
    pub id: JobLineId,
    pub description: String,
    /// The booked service the line carries out, if any.
    pub service_type: Option<ServiceTypeId>,
    pub item: JobItem,
    /// Thousandths of a unit or of an hour: 1000 is one part or one hour of labour.
    pub quantity_milli: u32,
    pub unit_price: Money,
    /// Set on work added after the order was signed.
    pub added: Option<AddedWork>,
}

impl JobLine {
    /// A line describes its work (1 to 200 characters) and has a quantity.
    pub fn check(&self) -> Result<(), JobError> {
        match trimmed_within(&self.description, MAX_DESCRIPTION) {
            Ok(text) if text.is_empty() => return Err(JobError::DescriptionMissing),
            Ok(_) => {}
            Err(length) => return Err(JobError::DescriptionTooLong { length }),
        }
        if self.quantity_milli == 0 {
            return Err(JobError::ZeroQuantity);
        }
        Ok(())
    }

    /// The order must say that customer-supplied parts carry no quality guarantee.
    pub fn needs_no_guarantee_notice(&self) -> bool {
        self.item == JobItem::Part { source: PartSource::CustomerSupplied }
    }

    pub fn line_total(&self) -> Money {
        self.unit_price.times_milli(i64::from(self.quantity_milli))
    }

    /// Whether the line is charged: original work, or added work the customer approved.
    pub fn is_charged(&self) -> bool {
        match &self.added {
            None => true,
            Some(added) => matches!(added.decision, Decision::Approved { .. }),
        }
    }
}

/// A typed quantity ("1.5" hours, "4" parts) in the thousandths a line counts in.
pub fn parse_quantity(typed: &str) -> Result<u32, DecimalError> {
    u32::try_from(parse_scaled(typed, 3)?).map_err(|_| DecimalError::TooLarge)
}

/// A quantity in thousandths as people write it ("1.5", "2"): what [`parse_quantity`] reads.
pub fn quantity_text(milli: u32) -> String {
    let whole = milli / 1000;
    match milli % 1000 {
        0 => whole.to_string(),
        rest => format!("{whole}.{}", format!("{rest:03}").trim_end_matches('0')),
    }
}

/// What the order costs: the charged lines, in the order's currency. An order with no charged line
/// costs zero.
pub fn order_total(lines: &[JobLine], currency: Currency) -> Result<Money, JobError> {
    lines_total(lines.iter().filter(|line| line.is_charged()), currency)
}

/// What the given lines cost together, charged or not (added work being put to the customer).
pub fn lines_total<'a>(lines: impl IntoIterator<Item = &'a JobLine>, currency: Currency) -> Result<Money, JobError> {
    lines.into_iter().try_fold(Money::new(0, currency), |total, line| total.checked_add(line.line_total())).map_err(JobError::Currency)
}

/// The estimate of cost and time given when the order is written, with the margin the customer
/// is told it may be off by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimate {
    pub cost: Money,
    pub minutes: u32,
    pub margin_percent: u8,
}

impl Estimate {
    /// What the lines give: their total in the order's currency and their [`workshop_minutes`],
    /// told with `margin_percent` (the advisor's, or [`DEFAULT_MARGIN_PERCENT`]).
    pub fn derive(lines: &[JobLine], catalogue: &[ServiceType], currency: Currency, margin_percent: u8) -> Result<Estimate, JobError> {
        let estimate = Estimate { cost: order_total(lines, currency)?, minutes: workshop_minutes(lines, catalogue), margin_percent };
        estimate.check()?;
        Ok(estimate)
    }

    pub fn check(&self) -> Result<(), JobError> {
        if self.margin_percent > MAX_MARGIN {
            return Err(JobError::MarginTooWide { percent: self.margin_percent });
        }
        if self.cost.minor < 0 {
            return Err(JobError::NegativeEstimate);
        }
        Ok(())
    }

    /// The most the customer should expect to pay: the cost plus the margin.
    pub fn max_cost(&self) -> Money {
        self.cost.times_milli(1000 + i64::from(self.margin_percent) * 10)
    }

    /// The longest the customer should expect to wait, in minutes (rounded up).
    pub fn max_minutes(&self) -> u32 {
        let longest = u64::from(self.minutes) * (100 + u64::from(self.margin_percent)) + 99;
        u32::try_from(longest / 100).unwrap_or(u32::MAX)
    }
}

/// The margin an estimate is given with until the advisor says otherwise.
pub const DEFAULT_MARGIN_PERCENT: u8 = 10;

/// Workshop time of the charged lines, in minutes (rounded up). A line that carries out a service
/// in the catalogue takes the service's duration, per unit of its quantity; any other line (free
/// text, or a service since withdrawn from the catalogue) takes its labour hours. Parts take no
/// time of their own: fitting them is labour, on its own line or inside a service.
pub fn workshop_minutes(lines: &[JobLine], catalogue: &[ServiceType]) -> u32 {
    let milli_minutes: u64 = lines
        .iter()
        .filter(|line| line.is_charged())
        .map(|line| {
            let service = line.service_type.as_ref().and_then(|id| catalogue.iter().find(|s| &s.id == id));
            let per_unit = match (service, line.item) {
                (Some(service), _) => u64::from(service.duration_minutes),
                (None, JobItem::Labour) => 60,
                (None, JobItem::Part { .. }) => 0,
            };
            per_unit * u64::from(line.quantity_milli)
        })
        .sum();
    u32::try_from(milli_minutes.div_ceil(1000)).unwrap_or(u32::MAX)
}

/// Promised times move in quarter hours.
pub const PROMISE_STEP: Duration = Duration::minutes(15);

/// The promised delivery time: `start` plus the longest the estimate says (its time with the
/// margin), rounded up to the quarter hour, so the margin always fits before it. Business hours
/// are not counted: a job that runs past closing is the advisor's to move, by [`PROMISE_STEP`]s.
/// Every time zone's offset is whole quarter hours, so the local time is on a quarter too.
pub fn promised_time(start: DateTime<Utc>, estimate: &Estimate) -> DateTime<Utc> {
    let end = start + Duration::minutes(i64::from(estimate.max_minutes()));
    let step = PROMISE_STEP.num_seconds();
    let past = end.timestamp().rem_euclid(step);
    if past == 0 && end.timestamp_subsec_nanos() == 0 {
        return end;
    }
    DateTime::from_timestamp(end.timestamp() - past + step, 0).unwrap_or(end)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobError {
    DescriptionMissing,
    DescriptionTooLong { length: usize },
    ZeroQuantity,
    AlreadyDecided,
    /// An answer by phone needs the advisor's note of what was said.
    PhoneAnswerUnnoted,
    /// An answer that is no answer (pending).
    NotAnAnswer,
    Currency(CurrencyMismatch),
    MarginTooWide { percent: u8 },
    NegativeEstimate,
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::DescriptionMissing => write!(f, "Describe the job."),
            JobError::DescriptionTooLong { length } => {
                write!(f, "Describe a job in at most {MAX_DESCRIPTION} characters; this is {length}.")
            }
            JobError::ZeroQuantity => write!(f, "A job line needs a quantity above zero."),
            JobError::AlreadyDecided => {
                write!(f, "The customer already answered this added work; add a new line if they change their mind.")
            }
            JobError::PhoneAnswerUnnoted => write!(f, "Note what the customer said on the phone: it is the only record of their answer."),
            JobError::NotAnAnswer => write!(f, "Record whether the customer approved or declined the work."),
            JobError::Currency(mismatch) => write!(f, "The order mixes currencies: {mismatch}."),
            JobError::MarginTooWide { percent } => {
                write!(f, "An estimate's margin is at most {MAX_MARGIN}%; {percent}% says nothing to the customer.")
            }
            JobError::NegativeEstimate => write!(f, "An estimate cannot be below zero."),
        }
    }
}

impl std::error::Error for JobError {}

pub const MAX_DESCRIPTION: usize = 200;
pub const MAX_MARGIN: u8 = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn cny(minor: i64) -> Money {
        Money::new(minor, Currency::Cny)
    }

    fn line(id: &str, item: JobItem, quantity_milli: u32, unit_price: Money) -> JobLine {
        JobLine {
            id: JobLineId::parse(id).unwrap(),
            description: "Front brake pads".into(),
            service_type: None,
            item,
            quantity_milli,
            unit_price,
            added: None,
        }
    }

    fn added() -> AddedWork {
        AddedWork { reason: "Pads at 2 mm".into(), safety: true, extra_minutes: 40, decision: Decision::Pending }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0).unwrap()
    }

    fn wang() -> PersonName {
        PersonName::parse("王小明").unwrap()
    }

    #[test]
    fn lines_need_a_description_and_a_quantity() {
        let mut l = line("j-1", JobItem::Labour, 1500, cny(30_000));
        assert_eq!(l.check(), Ok(()));
        l.quantity_milli = 0;
        assert_eq!(l.check(), Err(JobError::ZeroQuantity));
        l.description = " ".into();
        assert_eq!(l.check(), Err(JobError::DescriptionMissing));
        l.description = "x".repeat(201);
        assert_eq!(l.check(), Err(JobError::DescriptionTooLong { length: 201 }));
    }

    #[test]
    fn only_customer_supplied_parts_need_the_notice() {
        let part = |source| line("j-1", JobItem::Part { source }, 1000, cny(100));
        assert!(part(PartSource::CustomerSupplied).needs_no_guarantee_notice());
        assert!(!part(PartSource::Original).needs_no_guarantee_notice());
        assert!(!line("j-1", JobItem::Labour, 1000, cny(100)).needs_no_guarantee_notice());
    }

    #[test]
    fn items_have_a_flat_wire_form() {
        let part = JobItem::Part { source: PartSource::Aftermarket };
        assert_eq!(serde_json::to_string(&part).unwrap(), r#"{"kind":"part","source":"aftermarket"}"#);
        assert_eq!(serde_json::to_string(&JobItem::Labour).unwrap(), r#"{"kind":"labour"}"#);
        assert!(serde_json::from_str::<JobItem>(r#"{"kind":"part"}"#).is_err());
    }

    #[test]
    fn the_total_counts_only_approved_added_work() {
        let mut approved = line("j-2", JobItem::Part { source: PartSource::Original }, 2000, cny(45_000));
        approved.added = Some(added());
        approved.added.as_mut().unwrap().decide(Decision::Approved(answer(Channel::Phone))).unwrap();
        let mut declined = line("j-3", JobItem::Labour, 1000, cny(99_900));
        declined.added = Some(added());
        declined.added.as_mut().unwrap().decide(Decision::Declined(answer(Channel::InPerson))).unwrap();
        let mut pending = line("j-4", JobItem::Labour, 1000, cny(50_000));
        pending.added = Some(added());
        let lines = [line("j-1", JobItem::Labour, 1500, cny(30_000)), approved, declined, pending];
        assert_eq!(lines[0].line_total(), cny(45_000));
        assert_eq!(order_total(&lines, Currency::Cny), Ok(cny(45_000 + 90_000)));
        assert_eq!(order_total(&[], Currency::Krw), Ok(Money::new(0, Currency::Krw)));
        assert!(matches!(order_total(&lines, Currency::Usd), Err(JobError::Currency(_))));
    }

    #[test]
    fn added_work_is_decided_once() {
        let mut work = added();
        assert_eq!(work.decide(Decision::Pending), Err(JobError::NotAnAnswer));
        let unnoted = Answer { note: " ".into(), ..answer(Channel::Phone) };
        assert_eq!(work.decide(Decision::Approved(unnoted)), Err(JobError::PhoneAnswerUnnoted));
        work.decide(Decision::Approved(answer(Channel::Phone))).unwrap();
        assert_eq!(work.decide(Decision::Declined(answer(Channel::Phone))), Err(JobError::AlreadyDecided));
        assert_eq!(work.decide(Decision::Approved(answer(Channel::Phone))), Err(JobError::AlreadyDecided));
        assert!(matches!(work.decision, Decision::Approved(Answer { channel: Channel::Phone, .. })));
        let json = serde_json::to_value(&work.decision).unwrap();
        assert_eq!(json["status"], "approved");
        assert_eq!(json["channel"], "phone");
        assert_eq!(json["note"], "Yes, go ahead");
    }

    fn answer(channel: Channel) -> Answer {
        Answer { at: now(), by: wang(), channel, note: "Yes, go ahead".into() }
    }

    fn service(id: &str, minutes: u32, price: Money) -> ServiceType {
        let name = crate::catalogue::LocalizedText { en: "Oil service".into(), zh_cn: "机油保养".into(), ko: "엔진오일 교환".into() };
        ServiceType { id: ServiceTypeId::parse(id).unwrap(), code: id.into(), names: name, duration_minutes: minutes, price }
    }

    fn booked(id: &str, service_type: &str, price: Money) -> JobLine {
        JobLine { service_type: Some(ServiceTypeId::parse(service_type).unwrap()), ..line(id, JobItem::Labour, 1000, price) }
    }

    #[test]
    fn workshop_time_is_the_services_durations_and_the_free_labour_hours() {
        let catalogue = [service("oil", 45, cny(48_000)), service("tyres", 20, cny(10_000))];
        let customer_part = line("j-3", JobItem::Part { source: PartSource::CustomerSupplied }, 4000, cny(0));
        let mut declined = line("j-5", JobItem::Labour, 3000, cny(1));
        declined.added = Some(AddedWork { decision: Decision::Declined(answer(Channel::Phone)), ..added() });
        let lines = [
            booked("j-1", "oil", cny(48_000)),
            JobLine { quantity_milli: 2000, ..booked("j-2", "tyres", cny(10_000)) },
            customer_part,
            line("j-4", JobItem::Labour, 1250, cny(30_000)),
            declined,
        ];
        assert_eq!(workshop_minutes(&lines, &catalogue), 45 + 2 * 20 + 75);
        // A service no longer in the catalogue counts as its labour hours; a part as nothing.
        assert_eq!(workshop_minutes(&lines[..3], &[]), 60 + 120);
        assert_eq!(workshop_minutes(&[line("j-6", JobItem::Labour, 1, cny(1))], &[]), 1); // 0.06 min rounds up
        assert_eq!(workshop_minutes(&[], &catalogue), 0);
    }

    #[test]
    fn the_derived_estimate_is_the_total_and_the_time_with_the_margin() {
        let catalogue = [service("oil", 45, cny(48_000))];
        let lines = [booked("j-1", "oil", cny(48_000)), line("j-2", JobItem::Labour, 1500, cny(30_000))];
        let estimate = Estimate::derive(&lines, &catalogue, Currency::Cny, DEFAULT_MARGIN_PERCENT).unwrap();
        assert_eq!(estimate, Estimate { cost: cny(93_000), minutes: 135, margin_percent: 10 });
        assert_eq!(Estimate::derive(&lines, &catalogue, Currency::Cny, 101), Err(JobError::MarginTooWide { percent: 101 }));
        assert!(matches!(Estimate::derive(&lines, &catalogue, Currency::Krw, 10), Err(JobError::Currency(_))));
    }

    #[test]
    fn the_promise_covers_the_margin_and_falls_on_a_quarter_hour() {
        let start = Utc.with_ymd_and_hms(2026, 11, 24, 1, 7, 30).unwrap();
        let estimate = Estimate { cost: cny(0), minutes: 135, margin_percent: 10 }; // at most 149 min
        assert_eq!(promised_time(start, &estimate), Utc.with_ymd_and_hms(2026, 11, 24, 3, 45, 0).unwrap());
        let on_the_quarter = Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap();
        let hour = Estimate { minutes: 60, margin_percent: 0, ..estimate };
        assert_eq!(promised_time(on_the_quarter, &hour), Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap());
        let a_moment_later = on_the_quarter + Duration::milliseconds(1);
        assert_eq!(promised_time(a_moment_later, &hour), Utc.with_ymd_and_hms(2026, 11, 24, 2, 15, 0).unwrap());
        assert_eq!(promised_time(start, &Estimate { minutes: 0, ..estimate }), Utc.with_ymd_and_hms(2026, 11, 24, 1, 15, 0).unwrap());
    }

    #[test]
    fn typed_quantities_count_in_thousandths() {
        assert_eq!(parse_quantity("1.5"), Ok(1500));
        assert_eq!(parse_quantity("4"), Ok(4000));
        assert_eq!(parse_quantity("0.0005"), Err(DecimalError::TooManyDecimals { allowed: 3 }));
        assert_eq!(parse_quantity("5000000"), Err(DecimalError::TooLarge));
        for (milli, text) in [(4000, "4"), (1500, "1.5"), (1250, "1.25"), (5, "0.005")] {
            assert_eq!(quantity_text(milli), text);
            assert_eq!(parse_quantity(text), Ok(milli));
        }
    }

    #[test]
    fn an_estimate_has_a_bounded_margin() {
        let estimate = Estimate { cost: cny(100_000), minutes: 90, margin_percent: 10 };
        assert_eq!(estimate.check(), Ok(()));
        assert_eq!(estimate.max_cost(), cny(110_000));
        assert_eq!(estimate.max_minutes(), 99);
        assert_eq!(Estimate { minutes: 95, ..estimate }.max_minutes(), 105); // 104.5 rounds up
        assert_eq!(Estimate { margin_percent: 101, ..estimate }.check(), Err(JobError::MarginTooWide { percent: 101 }));
        assert_eq!(Estimate { cost: cny(-1), ..estimate }.check(), Err(JobError::NegativeEstimate));
    }
}
