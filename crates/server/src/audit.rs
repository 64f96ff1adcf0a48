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

pub async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    record_type: &str,
    record_id: &str,
    detail: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, device_id, advisor_id, action, record_type, record_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(format_utc(Utc::now()))
    .bind(actor.device.as_deref())
    .bind(actor.advisor.as_deref())
    .bind(action)
    .bind(record_type)
    .bind(record_id)
    .bind(detail.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
