//! Enrolling devices: an admin makes a one-time code for a kiosk or tablet, the device trades it
//! for its bearer token, and the admin can revoke the device at any time.

use crate::audit::{self, Actor};
use crate::auth::{self, Admin};
use crate::error::{ApiError, ApiJson};
use crate::http::AppState;
use crate::time::format_utc;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Duration, Utc};
use lane_domain::device::{DeviceKind, DeviceSummary, EnrolRequest, Enrolment, EnrolmentCode, NewEnrolmentCode};
use lane_domain::ids::DeviceId;
use serde_json::json;

/// Codes are typed on a touch screen: no look-alike characters, read in two groups of four.
const CODE_ALPHABET: &[u8] = b"ACDEFGHJKLMNPQRTUVWXY34679";
const CODE_LIFETIME_HOURS: i64 = 24;

fn new_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 8];
    OsRng.fill_bytes(&mut bytes);
    let chars: String = bytes.iter().map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char).collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// Upper case, without the spaces and dashes people type between the groups.
fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// Stores a new enrolment code (its digest) and returns it; the seed uses this too.
pub async fn create_code(state: &AppState, dealership: &str, request: &NewEnrolmentCode) -> Result<EnrolmentCode, ApiError> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ApiError::Invalid("A device name has 1 to 60 characters.".into()));
    }
    let code = new_code();
    let now = Utc::now();
    let expires_at = now + Duration::hours(CODE_LIFETIME_HOURS);
    sqlx::query(
        "INSERT INTO enrolment_codes (code_sha256, dealership_id, kind, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(auth::digest(&normalise_code(&code)))
    .bind(dealership)
    .bind(request.kind.tag())
    .bind(name)
    .bind(format_utc(now))
    .bind(format_utc(expires_at))
    .execute(&state.db.pool)
    .await?;
    Ok(EnrolmentCode { code, expires_at })
}

#[utoipa::path(post, path = "/admin/enrolment-codes", tag = "devices", security(("admin" = [])),
    request_body = NewEnrolmentCode,
    responses((status = 201, body = EnrolmentCode), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn new_enrolment_code(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(request): ApiJson<NewEnrolmentCode>,
) -> Result<(StatusCode, Json<EnrolmentCode>), ApiError> {
    let dealership = state.dealership().await?;
    Ok((StatusCode::CREATED, Json(create_code(&state, &dealership, &request).await?)))
}

#[utoipa::path(post, path = "/devices/enrol", tag = "devices",
    request_body = EnrolRequest,
    responses((status = 201, body = Enrolment), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn enrol(State(state): State<AppState>, ApiJson(request): ApiJson<EnrolRequest>) -> Result<(StatusCode, Json<Enrolment>), ApiError> {
    let now = format_utc(Utc::now());
    let mut tx = state.db.pool.begin().await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT dealership_id, kind, name FROM enrolment_codes WHERE code_sha256 = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(auth::digest(&normalise_code(&request.code)))
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    let (dealership, kind, name) = row.ok_or(ApiError::InvalidEnrolmentCode)?;
    let kind = DeviceKind::from_tag(&kind).ok_or(ApiError::InvalidEnrolmentCode)?;
    if request.kind.is_some_and(|expected| expected != kind) {
        // Before any write: the transaction is dropped and the code stays unused.
        return Err(ApiError::WrongDeviceKind { code_is: kind });
    }
    let id = DeviceId::parse(&uuid::Uuid::new_v4().to_string()).expect("a UUID is a valid id");
    let token = auth::new_secret();
    sqlx::query("INSERT INTO devices (id, dealership_id, kind, name, token_sha256, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id.as_str())
        .bind(&dealership)
        .bind(kind.tag())
        .bind(&name)
        .bind(auth::digest(&token))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    // Marking the code used in the same transaction makes it one-time even under a race.
    let used = sqlx::query("UPDATE enrolment_codes SET used_at = $1, device_id = $2 WHERE code_sha256 = $3 AND used_at IS NULL")
        .bind(&now)
        .bind(id.as_str())
        .bind(auth::digest(&normalise_code(&request.code)))
        .execute(&mut *tx)
        .await?;
    if used.rows_affected() != 1 {
        return Err(ApiError::InvalidEnrolmentCode);
    }
    let actor = Actor { device: Some(id.to_string()), advisor: None };
    audit::record(&mut tx, &actor, "device.enrolled", "device", id.as_str(), &json!({ "kind": kind, "name": name })).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Enrolment { device: id, kind, name, token })))
}

#[utoipa::path(get, path = "/admin/devices", tag = "devices", security(("admin" = [])),
    responses((status = 200, body = Vec<DeviceSummary>), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn list(State(state): State<AppState>, _admin: Admin) -> Result<Json<Vec<DeviceSummary>>, ApiError> {
    type Row = (String, String, String, String, Option<String>, Option<String>, i64);
    let rows: Vec<Row> =
        sqlx::query_as("SELECT id, kind, name, enrolled_at, revoked_at, last_seen_at, last_seq FROM devices ORDER BY enrolled_at")
            .fetch_all(&state.db.pool)
            .await?;
    let time = |t: &str| t.parse().map_err(|_| ApiError::DatabaseUnavailable);
    rows.into_iter()
        .map(|(id, kind, name, enrolled_at, revoked_at, last_seen_at, last_seq)| {
            Ok(DeviceSummary {
                id: DeviceId::parse(&id).map_err(|_| ApiError::DatabaseUnavailable)?,
                kind: DeviceKind::from_tag(&kind).ok_or(ApiError::DatabaseUnavailable)?,
                name,
                enrolled_at: time(&enrolled_at)?,
                revoked_at: revoked_at.as_deref().map(time).transpose()?,
                last_seen_at: last_seen_at.as_deref().map(time).transpose()?,
                last_seq: last_seq as u64,
            })
        })
        .collect::<Result<_, _>>()
        .map(Json)
}

#[utoipa::path(post, path = "/admin/devices/{id}/revoke", tag = "devices", security(("admin" = [])),
    params(("id" = String, Path, description = "The device's id")),
    responses((status = 204), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn revoke(State(state): State<AppState>, _admin: Admin, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let mut tx = state.db.pool.begin().await?;
    let done = sqlx::query("UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(format_utc(Utc::now()))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound);
    }
    sqlx::query("UPDATE advisor_sessions SET ended_at = $1 WHERE device_id = $2 AND ended_at IS NULL")
        .bind(format_utc(Utc::now()))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, &Actor::default(), "device.revoked", "device", &id, &json!({})).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_two_groups_of_unambiguous_characters() {
        let code = new_code();
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert!(normalise_code(&code).bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(normalise_code(" ab12-cd34 "), "AB12CD34");
    }
}
