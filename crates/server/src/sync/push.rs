//! `POST /api/sync/push`. One database transaction per batch: for each mutation the change is
//! applied or refused (`apply` decides before it writes, so a refusal leaves nothing of the change
//! behind; a kiosk's refusal leaves only a follow-up for staff) and the device's sequence number
//! advanced with its answer recorded, so a retried batch gets the same answers and changes nothing
//! twice. A failure of the database rolls the whole batch back, and the device simply sends it
//! again.

use super::apply::{apply, Applied, Batch};
use super::follow_up;
use crate::audit::Actor;
use crate::auth::{self, Device};
use crate::error::{ApiError, ApiJson};
use crate::http::AppState;
use crate::time::format_utc;
use crate::versions::Clock;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use chrono::Utc;
use lane_domain::device::DeviceKind;
use lane_domain::sync::{Mutation, Outcome, PushRequest, PushResponse, PushResult, RejectCode, Rejection, MAX_PUSH};
use sqlx::AnyConnection;
use std::collections::HashMap;

#[utoipa::path(post, path = "/sync/push", tag = "sync", security(("device" = [])), request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn push(
    State(state): State<AppState>,
    device: Device,
    headers: HeaderMap,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    let session = auth::session(&state, &headers, &device).await?;
    let actor = Actor { device: Some(device.id.to_string()), advisor: session.map(|s| s.advisor.to_string()) };
    Ok(Json(push_batch(&state, &device, &actor, &request.mutations).await?))
}

/// The push without HTTP: the simulation and the benchmarks drive this directly.
pub async fn push_batch(state: &AppState, device: &Device, actor: &Actor, mutations: &[Mutation]) -> Result<PushResponse, ApiError> {
    if mutations.len() > MAX_PUSH {
        return Err(ApiError::Invalid(format!("A push carries at most {MAX_PUSH} mutations; send the rest in the next one.")));
    }
    if let Some(other) = mutations.iter().find(|m| m.device != device.id) {
        return Err(ApiError::Invalid(format!("Mutation {} names device {}, not the device whose token sent it.", other.id, other.device)));
    }
    // Waiting for a sign-in is not a reason to refuse the changes: they stay queued until then.
    if device.kind == DeviceKind::Tablet && actor.advisor.is_none() {
        return Err(ApiError::SignInRequired);
    }
    let now = format_utc(Utc::now());
    let mut tx = state.db.pool.begin().await?;
    // Writing first takes SQLite's write lock at once, instead of failing to upgrade a read later.
    let last_seq: i64 = sqlx::query_scalar("UPDATE devices SET last_seen_at = $1 WHERE id = $2 RETURNING last_seq")
        .bind(&now)
        .bind(device.id.as_str())
        .fetch_one(&mut *tx)
        .await?;
    let mut last_seq = last_seq as u64;
    let mut batch = Batch { clock: Clock::take(&mut tx).await?, audit: Default::default() };
    let mut answered = answered_before(&mut tx, device, mutations).await?;
    let mut recorded = Vec::new();
    let mut results = Vec::with_capacity(mutations.len());
    for mutation in mutations {
        // Seen before (a retry whose answer was lost, or a repeat in this batch): the same answer.
        if let Some(outcome) = answered.get(mutation.id.as_str()) {
            results.push(PushResult { id: mutation.id.clone(), seq: mutation.seq, outcome: outcome.clone() });
            continue;
        }
        // A gap, or a number already used by another mutation: stop here. The device resends the
        // rest, renumbered after `last_seq` if it lost its own count.
        if mutation.seq != last_seq + 1 {
            break;
        }
        let maker = maker(&mut tx, device, actor, mutation).await?;
        let actor = &maker;
        let outcome = match refusal(device, mutation) {
            Some(reason) => Outcome::Rejected { reason },
            None => match apply(&mut tx, &mut batch, device, actor, mutation).await? {
                Applied::Done(receipt) => Outcome::Applied { receipt },
                Applied::Refused(reason) => {
                    // A tablet's person reads the refusal; a kiosk's customer may be gone already.
                    if device.kind == DeviceKind::Kiosk {
                        follow_up::record(&mut tx, &mut batch, device, actor, mutation, &reason).await?;
                    }
                    Outcome::Rejected { reason }
                }
            },
        };
        last_seq = mutation.seq;
        answered.insert(mutation.id.as_str().to_owned(), outcome.clone());
        recorded.push((mutation, serde_json::to_string(&outcome).expect("outcomes serialize")));
        results.push(PushResult { id: mutation.id.clone(), seq: mutation.seq, outcome });
    }
    // One statement for the batch's answers (at most MAX_PUSH rows, well within both databases'
    // limits on parameters).
    if !recorded.is_empty() {
        let rows = (0..recorded.len()).map(|i| format!("(${}, ${}, ${}, ${}, ${})", 5 * i + 1, 5 * i + 2, 5 * i + 3, 5 * i + 4, 5 * i + 5));
        let sql = format!("INSERT INTO applied_mutations (device_id, seq, mutation_id, outcome, applied_at) VALUES {}", rows.collect::<Vec<_>>().join(", "));
        let mut insert = sqlx::query(&sql);
        for (mutation, outcome) in &recorded {
            insert = insert.bind(device.id.as_str()).bind(mutation.seq as i64).bind(mutation.id.as_str()).bind(outcome.as_str()).bind(&now);
        }
        insert.execute(&mut *tx).await?;
    }
    batch.clock.release(&mut tx).await?;
    batch.audit.write(&mut tx).await?;
    sqlx::query("UPDATE devices SET last_seq = $1 WHERE id = $2").bind(last_seq as i64).bind(device.id.as_str()).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(PushResponse { results, last_seq })
}

/// Who made the change: the advisor the tablet says was signed in when it was made, if they had
/// a session on this device at that time (a change made offline may be pushed after the tablet
/// locked and a colleague signed in); else whoever pushes it.
async fn maker(conn: &mut AnyConnection, device: &Device, actor: &Actor, mutation: &Mutation) -> Result<Actor, ApiError> {
    let Some(by) = mutation.by.as_ref().filter(|by| actor.advisor.as_deref() != Some(by.as_str())) else { return Ok(actor.clone()) };
    let at = format_utc(mutation.at);
    let signed_in: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM advisor_sessions WHERE advisor_id = $1 AND device_id = $2 AND created_at <= $3 AND expires_at >= $3 \
         AND (ended_at IS NULL OR ended_at >= $3)",
    )
    .bind(by.as_str())
    .bind(device.id.as_str())
    .bind(&at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(if signed_in > 0 { Actor { device: actor.device.clone(), advisor: Some(by.to_string()) } } else { actor.clone() })
}

/// The stored answers to any of these mutations that the server has answered before.
async fn answered_before(conn: &mut AnyConnection, device: &Device, mutations: &[Mutation]) -> Result<HashMap<String, Outcome>, ApiError> {
    if mutations.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders = (0..mutations.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT mutation_id, outcome FROM applied_mutations WHERE device_id = $1 AND mutation_id IN ({placeholders})");
    let mut query = sqlx::query_as::<_, (String, String)>(&sql).bind(device.id.as_str());
    for mutation in mutations {
        query = query.bind(mutation.id.as_str());
    }
    query
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(id, outcome)| Ok((id, serde_json::from_str(&outcome).map_err(|_| ApiError::DatabaseUnavailable)?)))
        .collect()
}

/// What the device may not do at all, whatever the state of the records.
fn refusal(device: &Device, mutation: &Mutation) -> Option<Rejection> {
    (device.kind == DeviceKind::Kiosk && !mutation.change.allowed_on_kiosk())
        .then(|| Rejection { code: RejectCode::Forbidden, message: "A kiosk may only book visits and check customers in.".into() })
}
