//! The sync clock: every change to a record that devices pull gives that record the next version
//! from one counter, in the same transaction as the change. A pull cursor is a version, so "what
//! changed since" is one indexed range scan over `record_versions`.

use sqlx::AnyConnection;

/// Marks the record as changed: takes the next version and returns it.
pub async fn bump(conn: &mut AnyConnection, record_type: &str, record_id: &str) -> Result<i64, sqlx::Error> {
    let version: i64 =
        sqlx::query_scalar("UPDATE sync_clock SET version = version + 1 WHERE id = 1 RETURNING version").fetch_one(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO record_versions (record_type, record_id, version) VALUES ($1, $2, $3) \
         ON CONFLICT (record_type, record_id) DO UPDATE SET version = excluded.version",
    )
    .bind(record_type)
    .bind(record_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(version)
}

/// The version of a record, if it was ever changed.
pub async fn of(conn: &mut AnyConnection, record_type: &str, record_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM record_versions WHERE record_type = $1 AND record_id = $2")
        .bind(record_type)
        .bind(record_id)
        .fetch_optional(&mut *conn)
        .await
}
