//! Damage photos: `PUT /api/photos/{id}` takes a tablet's downscaled image (the body itself, not
//! JSON) for a visit, with the time the device took it; `GET` gives the bytes back. An upload is
//! idempotent by id and content, so a tablet that lost the answer simply sends it again.

use crate::audit::{self, Actor};
use crate::auth::{self, Device};
use crate::error::{ApiError, ApiQuery};
use crate::http::AppState;
use crate::time::format_utc;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use lane_domain::device::DeviceKind;
use lane_domain::ids::PhotoId;
use lane_domain::photo::{self, ImageKind, PhotoError, PhotoUpload, StoredPhoto};
use lane_domain::signature::Sha256;
use serde_json::json;

#[utoipa::path(put, path = "/photos/{id}", operation_id = "put_photo", tag = "photos", security(("device" = [])),
    params(("id" = String, Path, description = "The photo's id, made by the tablet"), PhotoUpload),
    request_body(description = "The image: a JPEG or PNG of at most 4 MiB", content(("image/jpeg"), ("image/png"))),
    responses(
        (status = 201, description = "Stored", body = StoredPhoto),
        (status = 200, description = "Already stored with the same bytes", body = StoredPhoto),
        (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn put(
    State(state): State<AppState>,
    device: Device,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiQuery(upload): ApiQuery<PhotoUpload>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<StoredPhoto>), ApiError> {
    device.require(DeviceKind::Tablet, "upload photos (only tablets take them)")?;
    let session = auth::session(&state, &headers, &device).await?.ok_or(ApiError::SignInRequired)?;
    let id = PhotoId::parse(&id).map_err(|e| ApiError::Invalid(e.to_string()))?;
    let bytes = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        _ => ApiError::BadRequest(rejection.body_text()),
    })?;
    let kind = photo::check(&bytes).map_err(|error| match error {
        PhotoError::TooLarge { .. } => ApiError::PayloadTooLarge,
        PhotoError::NotAnImage => ApiError::BadRequest(error.to_string()),
    })?;
    let stored = StoredPhoto {
        id,
        visit: upload.visit,
        taken_at: upload.taken_at,
        received_at: Utc::now(),
        sha256: Sha256::of(&bytes),
        byte_length: bytes.len() as u64,
    };
    let mut tx = state.db.pool.begin().await?;
    let visit: Option<String> = sqlx::query_scalar("SELECT id FROM visits WHERE id = $1 AND dealership_id = $2")
        .bind(stored.visit.as_str())
        .bind(&device.dealership)
        .fetch_optional(&mut *tx)
        .await?;
    if visit.is_none() {
        return Err(ApiError::NotFound);
    }
    // Two uploads of one id at once (a retry racing its original) both land here: the database
    // keeps one, and the other is answered like a later repeat.
    let inserted = sqlx::query(
        "INSERT INTO photos (id, visit_id, taken_at, received_at, media_type, sha256, byte_length, bytes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(stored.id.as_str())
    .bind(stored.visit.as_str())
    .bind(format_utc(stored.taken_at))
    .bind(format_utc(stored.received_at))
    .bind(kind.media_type())
    .bind(stored.sha256.as_str())
    .bind(stored.byte_length as i64)
    .bind(bytes.to_vec())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        drop(tx);
        let held = held(&state, &stored.id).await?.ok_or(ApiError::DatabaseUnavailable)?;
        return if held.sha256 == stored.sha256 && held.visit == stored.visit {
            Ok((StatusCode::OK, Json(held)))
        } else {
            Err(ApiError::Conflict(format!(
                "Photo {} is already stored with other content; a new photo needs a new id.",
                stored.id
            )))
        };
    }
    let actor = Actor { device: Some(device.id.to_string()), advisor: Some(session.advisor.to_string()) };
    let detail = json!({ "visit": stored.visit, "taken_at": stored.taken_at, "sha256": stored.sha256, "byte_length": stored.byte_length });
    audit::record(&mut tx, &actor, "photo.uploaded", "photo", stored.id.as_str(), &detail).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

#[utoipa::path(get, path = "/photos/{id}", operation_id = "get_photo", tag = "photos", security(("device" = [])),
    params(("id" = String, Path, description = "The photo's id")),
    responses(
        (status = 200, description = "The image as uploaded", content(("image/jpeg"), ("image/png"))),
        (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn get(State(state): State<AppState>, device: Device, Path(id): Path<String>) -> Result<Response, ApiError> {
    device.require(DeviceKind::Tablet, "see photos")?;
    let id = PhotoId::parse(&id).map_err(|e| ApiError::Invalid(e.to_string()))?;
    let row: Option<(String, Vec<u8>)> = sqlx::query_as(
        "SELECT p.media_type, p.bytes FROM photos p JOIN visits v ON v.id = p.visit_id WHERE p.id = $1 AND v.dealership_id = $2",
    )
    .bind(id.as_str())
    .bind(&device.dealership)
    .fetch_optional(&state.db.pool)
    .await?;
    let (media_type, bytes) = row.ok_or(ApiError::NotFound)?;
    let media_type = ImageKind::from_media_type(&media_type).map_or("application/octet-stream", ImageKind::media_type);
    // A photo never changes once stored, so the tablet may keep it as long as it likes.
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable")),
    ];
    Ok((headers, bytes).into_response())
}

/// What the server holds for `id`, without the bytes.
async fn held(state: &AppState, id: &PhotoId) -> Result<Option<StoredPhoto>, ApiError> {
    let row: Option<(String, String, String, String, i64)> =
        sqlx::query_as("SELECT visit_id, taken_at, received_at, sha256, byte_length FROM photos WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&state.db.pool)
            .await?;
    let Some((visit, taken_at, received_at, sha256, byte_length)) = row else { return Ok(None) };
    let time = |text: &str| text.parse::<DateTime<Utc>>().map_err(|_| ApiError::DatabaseUnavailable);
    Ok(Some(StoredPhoto {
        id: id.clone(),
        visit: lane_domain::ids::VisitId::parse(&visit).map_err(|_| ApiError::DatabaseUnavailable)?,
        taken_at: time(&taken_at)?,
        received_at: time(&received_at)?,
        sha256: Sha256::parse(&sha256).map_err(|_| ApiError::DatabaseUnavailable)?,
        byte_length: byte_length as u64,
    }))
}
