//! `GET /api/sync/pull`: the latest state of every record the device may see whose version is
//! above its cursor, oldest change first. A kiosk sees the catalogue, the advisors' names and its
//! own notices; never a customer, nor the follow-ups of its refused changes (they name customers).

use crate::auth::Device;
use crate::error::{ApiError, ApiQuery};
use crate::http::AppState;
use crate::records;
use axum::extract::State;
use axum::Json;
use lane_domain::device::DeviceKind;
use lane_domain::sync::{PullQuery, PullResponse, Pulled, Record, MAX_PULL};

const DEFAULT_PULL: u32 = 500;

#[utoipa::path(get, path = "/sync/pull", tag = "sync", security(("device" = [])), params(PullQuery),
    responses((status = 200, body = PullResponse), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn pull(State(state): State<AppState>, device: Device, ApiQuery(query): ApiQuery<PullQuery>) -> Result<Json<PullResponse>, ApiError> {
    Ok(Json(pull_page(&state, &device, query).await?))
}

/// The pull without HTTP, for the simulation and the benchmarks.
pub async fn pull_page(state: &AppState, device: &Device, query: PullQuery) -> Result<PullResponse, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_PULL);
    if limit == 0 || limit > MAX_PULL {
        return Err(ApiError::Invalid(format!("`limit` is 1 to {MAX_PULL}.")));
    }
    let cursor = i64::try_from(query.cursor).map_err(|_| ApiError::Invalid("`cursor` is too large.".into()))?;
    let mut conn = state.db.pool.acquire().await?;
    let types = match device.kind {
        DeviceKind::Kiosk => "('service_type', 'advisor', 'notice')",
        DeviceKind::Tablet => "('service_type', 'advisor', 'customer', 'vehicle', 'appointment', 'visit', 'signature', 'notice', 'kiosk_follow_up')",
    };
    let rows: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT record_type, record_id, version FROM record_versions WHERE version > $1 AND record_type IN {types} ORDER BY version LIMIT $2"
    ))
    .bind(cursor)
    .bind(i64::from(limit) + 1)
    .fetch_all(&mut *conn)
    .await?;
    let more = rows.len() > limit as usize;
    let mut records = Vec::with_capacity(rows.len().min(limit as usize));
    let mut next = query.cursor;
    for (record_type, id, version) in rows.into_iter().take(limit as usize) {
        next = version as u64;
        match records::load(&mut conn, &record_type, &id).await? {
            Some(Record::Notice(notice)) if notice.to_device != device.id => {}
            Some(record) => records.push(Pulled { version: version as u64, record }),
            None => {}
        }
    }
    Ok(PullResponse { records, cursor: next, more, last_seq: device.last_seq })
}
