//! Advisors sign in on an enrolled tablet with a personal PIN. PINs are stored as argon2id hashes;
//! after [`MAX_FAILURES`] wrong PINs in a row the advisor is locked out for [`LOCKOUT_MINUTES`].

use crate::audit::{self, Actor};
use crate::auth::{self, Device};
use crate::error::{ApiError, ApiJson};
use crate::http::AppState;
use crate::time::format_utc;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use lane_domain::device::{valid_pin, AdvisorSession, DeviceKind, PinSignIn};
use serde_json::json;

pub const MAX_FAILURES: i64 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;
/// A shift: an advisor signs in once in the morning, and the tablet's own lock covers the pauses.
pub const SESSION_HOURS: i64 = 12;

pub fn hash_pin(pin: &str) -> String {
    Argon2::default().hash_password(pin.as_bytes(), &SaltString::generate(&mut OsRng)).expect("argon2 hashes any PIN").to_string()
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok())
}

#[utoipa::path(post, path = "/advisors/sign-in", tag = "advisors", security(("device" = [])),
    request_body = PinSignIn,
    responses((status = 201, body = AdvisorSession), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn sign_in(
    State(state): State<AppState>,
    device: Device,
    ApiJson(request): ApiJson<PinSignIn>,
) -> Result<(StatusCode, Json<AdvisorSession>), ApiError> {
    device.require(DeviceKind::Tablet, "sign advisors in (only tablets do)")?;
    let now = Utc::now();
    let row: Option<(Option<String>, i64, Option<String>)> =
        sqlx::query_as("SELECT pin_hash, failed_pins, locked_until FROM advisors WHERE id = $1 AND dealership_id = $2 AND active = TRUE")
            .bind(request.advisor.as_str())
            .bind(&device.dealership)
            .fetch_optional(&state.db.pool)
            .await?;
    // An unknown advisor answers like a wrong PIN (advisors' names are no secret: tablets pull them).
    let (hash, failed, locked_until) = row.unwrap_or((None, 0, None));
    if let Some(until) = locked_until.filter(|u| u.parse::<DateTime<Utc>>().is_ok_and(|u| u > now)) {
        return Err(ApiError::PinLocked { until });
    }
    let matches = match hash {
        Some(hash) if valid_pin(&request.pin) => {
            let pin = request.pin.clone();
            // Hashing is CPU-heavy by design; keep it off the async workers.
            tokio::task::spawn_blocking(move || pin_matches(&pin, &hash)).await.unwrap_or(false)
        }
        _ => false,
    };
    let actor = Actor { device: Some(device.id.to_string()), advisor: Some(request.advisor.to_string()) };
    let mut tx = state.db.pool.begin().await?;
    if !matches {
        let failed = failed + 1;
        if failed >= MAX_FAILURES {
            let until = format_utc(now + Duration::minutes(LOCKOUT_MINUTES));
            sqlx::query("UPDATE advisors SET failed_pins = 0, locked_until = $1 WHERE id = $2")
                .bind(&until)
                .bind(request.advisor.as_str())
                .execute(&mut *tx)
                .await?;
            audit::record(&mut tx, &actor, "advisor.locked", "advisor", request.advisor.as_str(), &json!({ "until": until })).await?;
            tx.commit().await?;
            return Err(ApiError::PinLocked { until });
        }
        sqlx::query("UPDATE advisors SET failed_pins = $1 WHERE id = $2").bind(failed).bind(request.advisor.as_str()).execute(&mut *tx).await?;
        tx.commit().await?;
        return Err(ApiError::WrongPin { attempts_left: MAX_FAILURES - failed });
    }
    let token = auth::new_secret();
    let expires_at = now + Duration::hours(SESSION_HOURS);
    sqlx::query("UPDATE advisors SET failed_pins = 0, locked_until = NULL WHERE id = $1").bind(request.advisor.as_str()).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO advisor_sessions (token_sha256, advisor_id, device_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(auth::digest(&token))
        .bind(request.advisor.as_str())
        .bind(device.id.as_str())
        .bind(format_utc(now))
        .bind(format_utc(expires_at))
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, &actor, "advisor.signed_in", "advisor", request.advisor.as_str(), &json!({})).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(AdvisorSession { advisor: request.advisor, token, expires_at })))
}

#[utoipa::path(post, path = "/advisors/sign-out", tag = "advisors", security(("device" = [])),
    responses((status = 204), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn sign_out(State(state): State<AppState>, device: Device, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let token = headers.get(auth::ADVISOR_SESSION_HEADER).and_then(|v| v.to_str().ok()).ok_or(ApiError::SignInRequired)?;
    let done = sqlx::query("UPDATE advisor_sessions SET ended_at = $1 WHERE token_sha256 = $2 AND device_id = $3 AND ended_at IS NULL")
        .bind(format_utc(Utc::now()))
        .bind(auth::digest(token))
        .bind(device.id.as_str())
        .execute(&state.db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::SignInRequired);
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_verifies_against_its_own_hash_only() {
        let hash = hash_pin("1234");
        assert!(hash.starts_with("$argon2id$"));
        assert!(pin_matches("1234", &hash));
        assert!(!pin_matches("1235", &hash));
        assert!(!pin_matches("1234", "not a hash"));
    }
}
