//! The demo dealership, seeded into an empty database on first start so that a newcomer sees a
//! working lane at once: a service catalogue, four advisors, business hours and a day of
//! appointments on the next open day.

use crate::advisors::hash_pin;
use crate::db::Db;
use crate::versions::Clock;
use crate::time::{format_utc, local_to_utc};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use lane_domain::{Currency, Language};

const DEALERSHIP_ID: &str = "demo";
const TIME_ZONE: Tz = chrono_tz::Asia::Shanghai;
const CURRENCY: Currency = Currency::Cny;

/// (iso weekday, opens, closes); Sunday closed.
const HOURS: [(i64, &str, &str); 6] = [
    (1, "08:00", "18:00"),
    (2, "08:00", "18:00"),
    (3, "08:00", "18:00"),
    (4, "08:00", "18:00"),
    (5, "08:00", "18:00"),
    (6, "08:00", "16:00"),
];

/// (id, name, PIN): the demo's PINs are in the README; a real dealership sets its own.
const ADVISORS: [(&str, &str, &str); 4] =
    [("adv-1", "Li Na", "1111"), ("adv-2", "Kim Min-jun", "2222"), ("adv-3", "Zhang Wei", "3333"), ("adv-4", "Sarah Miller", "4444")];

/// (id, code, English, Chinese, Korean, minutes, price in fen).
const SERVICES: [(&str, &str, &str, &str, &str, i64, i64); 6] = [
    ("svc-oil", "OIL", "Oil and filter change", "更换机油机滤", "엔진오일 및 필터 교환", 45, 48_000),
    ("svc-10k", "M10K", "10,000 km maintenance", "10000公里常规保养", "10,000km 정기점검", 90, 88_000),
    ("svc-brakes", "BRK", "Brake inspection and pads", "刹车检查及更换刹车片", "브레이크 점검 및 패드 교환", 120, 120_000),
    ("svc-tyres", "TYR", "Tyre rotation and balance", "轮胎换位及动平衡", "타이어 위치 교환 및 밸런스", 60, 30_000),
    ("svc-ac", "AC", "Air conditioning service", "空调系统保养", "에어컨 점검", 60, 38_000),
    ("svc-diag", "DIAG", "Diagnosis of a concern", "故障诊断", "고장 진단", 60, 20_000),
];

struct DemoVisit {
    time: &'static str,
    advisor: &'static str,
    customer: &'static str,
    phone: &'static str,
    language: Language,
    plate: &'static str,
    make: &'static str,
    model: &'static str,
    year: i64,
    odometer_km: i64,
    service: &'static str,
    transport: &'static str,
    concerns: &'static str,
    code: &'static str,
}

const VISITS: [DemoVisit; 8] = [
    DemoVisit { time: "08:00", advisor: "adv-1", customer: "王芳", phone: "13800138001", language: Language::SimplifiedChinese, plate: "沪A12345", make: "Volkswagen", model: "Passat", year: 2021, odometer_km: 38_120, service: "svc-10k", transport: "wait", concerns: "保养到期", code: "K7M4QX" },
    DemoVisit { time: "08:00", advisor: "adv-2", customer: "박서연", phone: "01055512345", language: Language::Korean, plate: "12가3456", make: "Hyundai", model: "Tucson", year: 2022, odometer_km: 21_400, service: "svc-oil", transport: "shuttle", concerns: "엔진오일 경고등", code: "P4RW9N" },
    DemoVisit { time: "08:30", advisor: "adv-3", customer: "陈杰", phone: "13911112222", language: Language::SimplifiedChinese, plate: "沪B67890", make: "Toyota", model: "Camry", year: 2019, odometer_km: 87_950, service: "svc-brakes", transport: "loaner", concerns: "刹车时有尖锐的响声，冷车时更明显", code: "T9HC3V" },
    DemoVisit { time: "09:00", advisor: "adv-4", customer: "James Carter", phone: "13700001111", language: Language::English, plate: "沪C24680", make: "Ford", model: "Focus", year: 2020, odometer_km: 54_300, service: "svc-tyres", transport: "wait", concerns: "Steering wheel shakes above 100 km/h", code: "W3JF6L" },
    DemoVisit { time: "09:30", advisor: "adv-1", customer: "刘洋", phone: "13622223333", language: Language::SimplifiedChinese, plate: "沪D13579", make: "Honda", model: "Accord", year: 2018, odometer_km: 102_480, service: "svc-ac", transport: "drop_off", concerns: "空调不够凉", code: "Y7HN4D" },
    DemoVisit { time: "10:00", advisor: "adv-2", customer: "이준호", phone: "01098765432", language: Language::Korean, plate: "34나5678", make: "Kia", model: "Sportage", year: 2023, odometer_km: 9_870, service: "svc-diag", transport: "wait", concerns: "시동 걸 때 딸깍 소리가 납니다", code: "R4KQ7M" },
    DemoVisit { time: "13:30", advisor: "adv-3", customer: "赵敏", phone: "13544445555", language: Language::SimplifiedChinese, plate: "沪E97531", make: "BMW", model: "320Li", year: 2021, odometer_km: 45_010, service: "svc-oil", transport: "shuttle", concerns: "", code: "H6TX4P" },
    DemoVisit { time: "15:00", advisor: "adv-4", customer: "Emma Brown", phone: "13166667777", language: Language::English, plate: "沪F86420", make: "Tesla", model: "Model 3", year: 2022, odometer_km: 31_600, service: "svc-tyres", transport: "drop_off", concerns: "Slow puncture, front left", code: "C6LV9G" },
];

/// Seeds the demo dealership if the database has none. Returns whether it seeded.
pub async fn seed_if_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dealerships").fetch_one(&db.pool).await?;
    if existing > 0 {
        return Ok(false);
    }
    let now = Utc::now();
    let created = format_utc(now);
    let day = next_open_day(now.with_timezone(&TIME_ZONE).date_naive());
    let mut tx = db.pool.begin().await?;
    let mut clock = Clock::take(&mut tx).await?;

    sqlx::query(
        "INSERT INTO dealerships (id, name, time_zone, currency, slot_minutes, visits_per_slot, visits_per_advisor_per_slot, slack_percent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(DEALERSHIP_ID)
    .bind("Lane Demo Motors")
    .bind(TIME_ZONE.name())
    .bind(CURRENCY.code())
    .bind(30_i64)
    .bind(4_i64)
    .bind(1_i64)
    .bind(15_i64)
    .bind(&created)
    .execute(&mut *tx)
    .await?;

    for (weekday, opens, closes) in HOURS {
        sqlx::query("INSERT INTO business_hours (dealership_id, iso_weekday, opens, closes) VALUES ($1, $2, $3, $4)")
            .bind(DEALERSHIP_ID)
            .bind(weekday)
            .bind(opens)
            .bind(closes)
            .execute(&mut *tx)
            .await?;
    }

    for (id, name, pin) in ADVISORS {
        sqlx::query("INSERT INTO advisors (id, dealership_id, display_name, pin_hash) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(DEALERSHIP_ID)
            .bind(name)
            .bind(hash_pin(pin))
            .execute(&mut *tx)
            .await?;
        clock.bump("advisor", id);
    }

    for (id, code, en, zh, ko, minutes, price) in SERVICES {
        sqlx::query(
            "INSERT INTO service_types (id, dealership_id, code, name_en, name_zh, name_ko, duration_minutes, price_minor, currency) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(DEALERSHIP_ID)
        .bind(code)
        .bind(en)
        .bind(zh)
        .bind(ko)
        .bind(minutes)
        .bind(price)
        .bind(CURRENCY.code())
        .execute(&mut *tx)
        .await?;
        clock.bump("service_type", id);
    }

    for (n, v) in VISITS.iter().enumerate() {
        let customer_id = format!("demo-cust-{n}");
        let vehicle_id = format!("demo-veh-{n}");
        let time = NaiveTime::parse_from_str(v.time, "%H:%M").expect("demo times are valid");
        let slot = local_to_utc(TIME_ZONE, day.and_time(time)).expect("demo times exist in the time zone");
        sqlx::query("INSERT INTO customers (id, dealership_id, name, phone, language, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&customer_id)
            .bind(DEALERSHIP_ID)
            .bind(v.customer)
            .bind(v.phone)
            .bind(v.language.tag())
            .bind(&created)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO vehicles (id, customer_id, plate, make, model, model_year, odometer_km) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&vehicle_id)
            .bind(&customer_id)
            .bind(v.plate)
            .bind(v.make)
            .bind(v.model)
            .bind(v.year)
            .bind(v.odometer_km)
            .execute(&mut *tx)
            .await?;
        let appointment_id = format!("demo-appt-{n}");
        sqlx::query(
            "INSERT INTO appointments (id, dealership_id, customer_id, vehicle_id, advisor_id, slot_start, transport, concerns, confirmation_code, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'booked', $10)",
        )
        .bind(&appointment_id)
        .bind(DEALERSHIP_ID)
        .bind(&customer_id)
        .bind(&vehicle_id)
        .bind(v.advisor)
        .bind(format_utc(slot))
        .bind(v.transport)
        .bind(v.concerns)
        .bind(v.code)
        .bind(&created)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO appointment_services (appointment_id, service_type_id) VALUES ($1, $2)")
            .bind(&appointment_id)
            .bind(v.service)
            .execute(&mut *tx)
            .await?;
        for (record_type, id) in [("customer", &customer_id), ("vehicle", &vehicle_id), ("appointment", &appointment_id)] {
            clock.bump(record_type, id);
        }
    }

    clock.release(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Today if the demo dealership opens today, else the next day it does.
fn next_open_day(mut day: NaiveDate) -> NaiveDate {
    while !HOURS.iter().any(|(weekday, _, _)| *weekday == i64::from(day.weekday().number_from_monday())) {
        day += Duration::days(1);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunday_moves_to_monday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(next_open_day(sunday), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        let tuesday = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(next_open_day(tuesday), tuesday);
    }

    #[test]
    fn demo_visits_name_real_advisors_and_services() {
        for v in &VISITS {
            assert!(lane_domain::appointment::ConfirmationCode::parse(v.code).is_ok(), "{}", v.code);
            assert!(lane_domain::vehicle::Plate::parse(v.plate).is_ok(), "{}", v.plate);
            assert!(lane_domain::customer::Phone::parse(v.phone).is_ok(), "{}", v.phone);
            assert!(ADVISORS.iter().any(|(id, _, _)| *id == v.advisor), "{}", v.advisor);
            assert!(SERVICES.iter().any(|s| s.0 == v.service), "{}", v.service);
        }
    }
}
