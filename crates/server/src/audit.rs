//! The audit log: who changed what, from which device, when. Written in the same transaction as
//! the change it describes, never updated or deleted.

use crate::time::format_utc;
use chrono::Utc;
use sqlx::AnyConnection;

/// Who acted: a device, and on a tablet the advisor signed in. The admin acts with neither.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub device: Option<String>,
    pub advisor: Option<String>,
}

/// Audit rows gathered by one transaction and written together before it commits.
#[derive(Default)]
pub struct Log {
    rows: Vec<[Option<String>; 8]>,
}

/// Rows per statement: 8 parameters each, far below both databases' limits.
const ROWS_PER_STATEMENT: usize = 100;

impl Log {
    pub fn record(&mut self, actor: &Actor, action: &str, record_type: &str, record_id: &str, detail: &serde_json::Value) {
        self.rows.push([
            Some(uuid::Uuid::new_v4().to_string()),
            Some(format_utc(Utc::now())),
            actor.device.clone(),
            actor.advisor.clone(),
            Some(action.to_owned()),
            Some(record_type.to_owned()),
            Some(record_id.to_owned()),
            Some(detail.to_string()),
        ]);
    }

    pub async fn write(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        for chunk in self.rows.chunks(ROWS_PER_STATEMENT) {
            let rows: Vec<String> =
                (0..chunk.len()).map(|i| format!("({})", (1..=8).map(|k| format!("${}", 8 * i + k)).collect::<Vec<_>>().join(", "))).collect();
            let sql = format!(
                "INSERT INTO audit_log (id, at, device_id, advisor_id, action, record_type, record_id, detail) VALUES {}",
                rows.join(", ")
            );
            let mut insert = sqlx::query(&sql);
            for row in chunk {
                for value in row {
                    insert = insert.bind(value.clone());
                }
            }
            insert.execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// One audit row, written now.
pub async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    record_type: &str,
    record_id: &str,
    detail: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    let mut log = Log::default();
    log.record(actor, action, record_type, record_id, detail);
    log.write(conn).await
}
