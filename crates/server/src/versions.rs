//! The sync clock: every change to a record that devices pull gives that record the next version
//! from one counter, in the same transaction as the change. A pull cursor is a version, so "what
//! changed since" is one indexed range scan over `record_versions`.

use sqlx::AnyConnection;
use std::collections::HashMap;

/// Rows per statement when the versions are written: 3 parameters each, far below the limits.
const ROWS_PER_STATEMENT: usize = 300;

/// The clock, held by one writing transaction from [`Clock::take`] to [`Clock::release`]. The
/// versions it hands out are written at release, one row per record (its last version).
pub struct Clock {
    version: i64,
    changed: HashMap<(String, String), i64>,
}

impl Clock {
    /// Takes the clock: the row update locks it until the transaction ends (PostgreSQL's row lock,
    /// SQLite's write lock), so writers take versions one after another and commit in that order,
    /// and a pull never passes a version that a slower transaction commits later.
    pub async fn take(conn: &mut AnyConnection) -> Result<Clock, sqlx::Error> {
        let version = sqlx::query_scalar("UPDATE sync_clock SET version = version WHERE id = 1 RETURNING version").fetch_one(&mut *conn).await?;
        Ok(Clock { version, changed: HashMap::new() })
    }

    /// Marks the record as changed: gives it the next version and returns that version.
    pub fn bump(&mut self, record_type: &str, record_id: &str) -> i64 {
        self.version += 1;
        self.changed.insert((record_type.to_owned(), record_id.to_owned()), self.version);
        self.version
    }

    /// Writes the records' versions and the clock; the caller then commits.
    pub async fn release(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let changed: Vec<_> = self.changed.into_iter().collect();
        for chunk in changed.chunks(ROWS_PER_STATEMENT) {
            let rows: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3)).collect();
            let sql = format!(
                "INSERT INTO record_versions (record_type, record_id, version) VALUES {} \
                 ON CONFLICT (record_type, record_id) DO UPDATE SET version = excluded.version",
                rows.join(", ")
            );
            let mut insert = sqlx::query(&sql);
            for ((record_type, record_id), version) in chunk {
                insert = insert.bind(record_type.as_str()).bind(record_id.as_str()).bind(*version);
            }
            insert.execute(&mut *conn).await?;
        }
        sqlx::query("UPDATE sync_clock SET version = $1 WHERE id = 1").bind(self.version).execute(&mut *conn).await?;
        Ok(())
    }
}
