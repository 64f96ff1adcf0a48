//! Who is asking: the enrolled device behind a bearer token, and on a tablet the advisor signed in
//! with their PIN. Only SHA-256 digests of tokens are stored, so a copied database grants nothing.

use crate::error::ApiError;
use crate::http::AppState;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use base64::Engine;
use lane_domain::device::DeviceKind;
use lane_domain::ids::{AdvisorId, DeviceId};
use sha2::{Digest, Sha256};

/// The header that carries an advisor's session token beside the tablet's device token.
pub const ADVISOR_SESSION_HEADER: &str = "lane-advisor-session";

/// A fresh secret: 32 random bytes, URL-safe base64.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

/// An enrolled, unrevoked device.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: DeviceId,
    pub kind: DeviceKind,
    pub dealership: String,
    /// The device's last applied sequence number when the request came in (a push reads its
    /// own inside its transaction).
    pub last_seq: u64,
}

impl Device {
    pub fn require(&self, kind: DeviceKind, what: &'static str) -> Result<(), ApiError> {
        if self.kind == kind {
            Ok(())
        } else {
            Err(ApiError::Forbidden(what))
        }
    }
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let row: Option<(String, String, String, Option<String>, i64)> =
            sqlx::query_as("SELECT id, kind, dealership_id, revoked_at, last_seq FROM devices WHERE token_sha256 = $1")
                .bind(digest(token))
                .fetch_optional(&state.db.pool)
                .await?;
        let (id, kind, dealership, revoked_at, last_seq) = row.ok_or(ApiError::Unauthorized)?;
        if revoked_at.is_some() {
            return Err(ApiError::DeviceRevoked);
        }
        let id = DeviceId::parse(&id).map_err(|_| ApiError::Unauthorized)?;
        let kind = DeviceKind::from_tag(&kind).ok_or(ApiError::Unauthorized)?;
        Ok(Device { id, kind, dealership, last_seq: last_seq as u64 })
    }
}

/// The advisor signed in on a tablet, if the request names a session of this device. A session
/// that has since expired still says who made changes queued while it was valid.
#[derive(Debug, Clone)]
pub struct Session {
    pub advisor: AdvisorId,
    pub expires_at: String,
}

/// The session named by the request's header for this device, or `None` without the header.
pub async fn session(state: &AppState, headers: &HeaderMap, device: &Device) -> Result<Option<Session>, ApiError> {
    let Some(token) = headers.get(ADVISOR_SESSION_HEADER).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT advisor_id, expires_at FROM advisor_sessions WHERE token_sha256 = $1 AND device_id = $2 AND ended_at IS NULL",
    )
    .bind(digest(token))
    .bind(device.id.as_str())
    .fetch_optional(&state.db.pool)
    .await?;
    let (advisor, expires_at) = row.ok_or(ApiError::SignInRequired)?;
    let advisor = AdvisorId::parse(&advisor).map_err(|_| ApiError::SignInRequired)?;
    Ok(Some(Session { advisor, expires_at }))
}

/// The administrator, by the token the server was started with. Without one, no admin API.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // An empty token (`LANE_ADMIN_TOKEN=`) counts as none: it would admit `Bearer ` with nothing.
        let expected = state
            .admin_token
            .as_deref()
            .filter(|token| !token.trim().is_empty())
            .ok_or(ApiError::Forbidden("use the admin API (no LANE_ADMIN_TOKEN is set)"))?;
        let given = bearer(&parts.headers).ok_or(ApiError::Unauthorized)?;
        // Compare digests, so the time taken says nothing about the token.
        if digest(given) == digest(expected) {
            Ok(Admin)
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_digests_stable() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
