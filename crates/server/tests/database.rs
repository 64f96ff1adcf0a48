//! Migrations and the demo seed on both databases: an empty SQLite file, and a fresh PostgreSQL
//! database when the test command provides a server (`LANE_TEST_POSTGRES_URL`).

mod common;

use common::*;
use lane_server::db::{Backend, Db};
use lane_server::seed::seed_if_empty;

async fn migrates_and_seeds_once(url: &str) {
    let db = Db::open(url).await.expect("migrations apply to an empty database");
    assert!(db.ping().await);
    for table in ["dealerships", "business_hours", "advisors", "service_types", "customers", "vehicles", "appointments"] {
        assert_eq!(count(&db, table).await, 0, "{table} starts empty");
    }
    assert!(seed_if_empty(&db).await.unwrap());
    assert_eq!(count(&db, "dealerships").await, 1);
    assert_eq!(count(&db, "advisors").await, 4);
    assert_eq!(count(&db, "business_hours").await, 6);
    assert!(count(&db, "service_types").await >= 5);
    assert_eq!(count(&db, "appointments").await, 8);
    assert_eq!(count(&db, "appointment_services").await, 8);
    // Every seeded record has a version, so a device's first pull brings the whole demo.
    assert_eq!(count(&db, "record_versions").await, 4 + count(&db, "service_types").await + 3 * 8);
    db.close().await;

    // A second start finds the migrations applied and the demo present: nothing doubles.
    let again = Db::open(url).await.unwrap();
    assert!(!seed_if_empty(&again).await.unwrap());
    assert_eq!(count(&again, "appointments").await, 8);
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&again.pool).await.unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap().count() as i64;
    assert_eq!(migrations, files, "every migration applied once");
    again.close().await;
}

#[tokio::test]
async fn sqlite_empty_file_is_migrated_and_seeded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/lane.db");
    migrates_and_seeds_once(path.to_str().unwrap()).await;
    assert!(path.exists(), "the file and its folders are created");
}

#[tokio::test]
async fn postgres_database_is_migrated_and_seeded() {
    let Some(url) = postgres_url().await else {
        eprintln!("LANE_TEST_POSTGRES_URL not set: PostgreSQL not tested here (the test command always sets it)");
        return;
    };
    let db = Db::open(&url).await.unwrap();
    assert_eq!(db.backend, Backend::Postgres);
    db.close().await;
    migrates_and_seeds_once(&url).await;
}

#[tokio::test]
async fn constraints_hold_on_sqlite() {
    let app = sqlite_app().await;
    seed_if_empty(&app.db).await.unwrap();
    // An appointment for an advisor that does not exist is refused by the foreign key.
    let orphan = sqlx::query(
        "INSERT INTO appointments (id, dealership_id, customer_id, vehicle_id, advisor_id, slot_start, transport, concerns, confirmation_code, status, created_at) \
         VALUES ('x', 'demo', 'demo-cust-0', 'demo-veh-0', 'nobody', '2026-01-01T00:00:00.000Z', 'wait', '', 'ZZZZZZ', 'booked', '2026-01-01T00:00:00.000Z')",
    )
    .execute(&app.db.pool)
    .await;
    assert!(orphan.is_err());
    let bad_status = sqlx::query("UPDATE appointments SET status = 'lost' WHERE id = 'demo-appt-0'").execute(&app.db.pool).await;
    assert!(bad_status.is_err());
}
