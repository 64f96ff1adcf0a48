//! The sync clock: every change to a record that devices pull gives that record the next version
//! from one counter, in the same transaction as the change. A pull cursor is a version, so "what
//! changed since" is one indexed range scan over `record_versions`.

use sqlx::AnyConnection;

/// The clock, held by one writing transaction from [`Clock::take`] to [`Clock::release`].
pub struct Clock {
    version: i64,
}

impl Clock {
    /// Takes the clock: the row update locks it until the transaction ends (PostgreSQL's row lock,
    /// SQLite's write lock), so writers take versions one after another and commit in that order,
    /// and a pull never passes a version that a slower transaction commits later.
    pub async fn take(conn: &mut AnyConnection) -> Result<Clock, sqlx::Error> {
        let version = sqlx::query_scalar("UPDATE sync_clock SET version = version WHERE id = 1 RETURNING version").fetch_one(&mut *conn).await?;
        Ok(Clock { version })
    }

    /// Marks the record as changed: gives it the next version and returns that version.
    pub async fn bump(&mut self, conn: &mut AnyConnection, record_type: &str, record_id: &str) -> Result<i64, sqlx::Error> {
        self.version += 1;
        sqlx::query(
            "INSERT INTO record_versions (record_type, record_id, version) VALUES ($1, $2, $3) \
             ON CONFLICT (record_type, record_id) DO UPDATE SET version = excluded.version",
        )
        .bind(record_type)
        .bind(record_id)
        .bind(self.version)
        .execute(&mut *conn)
        .await?;
        Ok(self.version)
    }

    /// Writes the clock back; the caller then commits.
    pub async fn release(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sync_clock SET version = $1 WHERE id = 1").bind(self.version).execute(&mut *conn).await?;
        Ok(())
    }
}
