//! The kiosk's narrow door: the catalogue, free slots, one masked booking at a time, and a
//! returning customer's details for their plate and whole phone number. No kiosk call lists
//! customers or returns another customer's details; lookups that miss are rate-limited.

use crate::auth::Device;
use crate::dealership::Dealership;
use crate::error::{ApiError, ApiJson, ApiQuery};
use crate::http::AppState;
use crate::records;
use crate::time::format_utc;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use lane_domain::appointment::ConfirmationCode;
use lane_domain::capacity::free_slots;
use lane_domain::catalogue::ServiceType;
use lane_domain::customer::Phone;
use lane_domain::device::DeviceKind;
use lane_domain::ids::AppointmentId;
use lane_domain::kiosk::{
    mask_name, BookingSummary, LookupRequest, LookupResponse, ReturningCustomer, ReturningRequest, ReturningResponse, Slots, SlotsQuery,
};
use lane_domain::vehicle::Plate;

/// Misses allowed per kiosk in [`MISS_WINDOW_MINUTES`], lookups and returning customers together:
/// plenty for typos in a morning rush, too few to walk through codes or phone numbers.
pub const MAX_MISSES: i64 = 10;
pub const MISS_WINDOW_MINUTES: i64 = 10;

#[utoipa::path(get, path = "/kiosk/catalogue", tag = "kiosk", security(("device" = [])),
    responses((status = 200, body = Vec<ServiceType>), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn catalogue(State(state): State<AppState>, device: Device) -> Result<Json<Vec<ServiceType>>, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(records::catalogue(&mut conn, &device.dealership).await?))
}

#[utoipa::path(get, path = "/kiosk/slots", tag = "kiosk", security(("device" = [])), params(SlotsQuery),
    responses((status = 200, body = Slots), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn slots(State(state): State<AppState>, device: Device, ApiQuery(query): ApiQuery<SlotsQuery>) -> Result<Json<Slots>, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    let dealership = Dealership::load(&mut conn, &device.dealership).await?;
    let Some((open, close)) = dealership.hours(&mut conn, query.day).await? else {
        return Ok(Json(Slots { day: query.day, slots: Vec::new() }));
    };
    let advisors = dealership.advisors(&mut conn).await?;
    let bookings = dealership.bookings(&mut conn, open, close).await?;
    let slots = free_slots(&dealership.capacity, open, close, &advisors, &bookings, Utc::now());
    Ok(Json(Slots { day: query.day, slots }))
}

#[utoipa::path(post, path = "/kiosk/lookup", tag = "kiosk", security(("device" = [])), request_body = LookupRequest,
    responses((status = 200, body = LookupResponse), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn lookup(
    State(state): State<AppState>,
    device: Device,
    ApiJson(request): ApiJson<LookupRequest>,
) -> Result<Json<LookupResponse>, ApiError> {
    device.require(DeviceKind::Kiosk, "look bookings up (tablets see them through sync)")?;
    let mut conn = state.db.pool.acquire().await?;
    let now = Utc::now();
    refuse_if_rate_limited(&mut conn, &device, now).await?;
    // Bookings from 24 hours ago on: a late arrival still finds today's, a week-old code finds nothing.
    let from = format_utc(now - Duration::hours(24));
    let found: Option<String> = match &request {
        LookupRequest::Code { code } => match ConfirmationCode::parse(code) {
            Ok(code) => sqlx::query_scalar(
                "SELECT id FROM appointments WHERE dealership_id = $1 AND confirmation_code = $2 AND status = 'booked' AND slot_start >= $3",
            )
            .bind(&device.dealership)
            .bind(code.as_str())
            .bind(&from)
            .fetch_optional(&mut *conn)
            .await?,
            Err(_) => None,
        },
        LookupRequest::Plate { plate, phone_last4 } => match Plate::parse(plate) {
            Ok(plate) if phone_last4.len() == 4 && phone_last4.bytes().all(|b| b.is_ascii_digit()) => sqlx::query_scalar(
                "SELECT a.id FROM appointments a JOIN vehicles v ON v.id = a.vehicle_id JOIN customers c ON c.id = a.customer_id \
                 WHERE a.dealership_id = $1 AND v.plate = $2 AND c.phone LIKE $3 AND a.status = 'booked' AND a.slot_start >= $4 \
                 ORDER BY a.slot_start LIMIT 1",
            )
            .bind(&device.dealership)
            .bind(plate.as_str())
            .bind(format!("%{phone_last4}"))
            .bind(&from)
            .fetch_optional(&mut *conn)
            .await?,
            _ => None,
        },
    };
    let booking = match found {
        Some(id) => summary(&mut conn, &id).await?,
        None => None,
    };
    record_attempt(&mut conn, &device, now, booking.is_some()).await?;
    Ok(Json(LookupResponse { booking }))
}

#[utoipa::path(post, path = "/kiosk/returning", tag = "kiosk", security(("device" = [])), request_body = ReturningRequest,
    responses((status = 200, body = ReturningResponse), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn returning(
    State(state): State<AppState>,
    device: Device,
    ApiJson(request): ApiJson<ReturningRequest>,
) -> Result<Json<ReturningResponse>, ApiError> {
    device.require(DeviceKind::Kiosk, "look customers up (tablets see them through sync)")?;
    let mut conn = state.db.pool.acquire().await?;
    let now = Utc::now();
    refuse_if_rate_limited(&mut conn, &device, now).await?;
    // Text that is no plate or no phone number is a miss like any other, so it teaches nothing.
    let customer = match (Plate::parse(&request.plate), Phone::parse(&request.phone)) {
        (Ok(plate), Ok(phone)) => returning_customer(&mut conn, &device.dealership, &plate, &phone).await?,
        _ => None,
    };
    record_attempt(&mut conn, &device, now, customer.is_some()).await?;
    Ok(Json(ReturningResponse { customer }))
}

/// The customer of this dealership with exactly this phone number who owns a car with exactly
/// this plate (the oldest file, if the number is on several), with that car.
async fn returning_customer(conn: &mut sqlx::AnyConnection, dealership: &str, plate: &Plate, phone: &Phone) -> Result<Option<ReturningCustomer>, ApiError> {
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT c.id, v.id FROM customers c JOIN vehicles v ON v.customer_id = c.id \
         WHERE c.dealership_id = $1 AND c.phone = $2 AND v.plate = $3 ORDER BY c.created_at, c.id LIMIT 1",
    )
    .bind(dealership)
    .bind(phone.as_str())
    .bind(plate.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((customer, vehicle)) = found else { return Ok(None) };
    let (Some(customer), Some(vehicle)) = (records::customer(conn, &customer).await?, records::vehicle(conn, &vehicle).await?) else {
        return Ok(None);
    };
    Ok(Some(ReturningCustomer {
        name: customer.name.into(),
        email: customer.email.map(String::from),
        language: customer.language,
        make: vehicle.make,
        model: vehicle.model,
        year: vehicle.year,
        vin: vehicle.vin.map(String::from),
    }))
}

/// Refuses a kiosk that has missed [`MAX_MISSES`] times within the window, before it looks again.
async fn refuse_if_rate_limited(conn: &mut sqlx::AnyConnection, device: &Device, now: DateTime<Utc>) -> Result<(), ApiError> {
    let since = format_utc(now - Duration::minutes(MISS_WINDOW_MINUTES));
    let misses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kiosk_lookups WHERE device_id = $1 AND at > $2 AND hit = FALSE")
        .bind(device.id.as_str())
        .bind(&since)
        .fetch_one(&mut *conn)
        .await?;
    if misses >= MAX_MISSES {
        return Err(ApiError::RateLimited);
    }
    Ok(())
}

/// Counts a lookup of either kind toward the kiosk's limit (only misses are held against it).
async fn record_attempt(conn: &mut sqlx::AnyConnection, device: &Device, now: DateTime<Utc>, hit: bool) -> Result<(), ApiError> {
    sqlx::query("INSERT INTO kiosk_lookups (device_id, at, hit) VALUES ($1, $2, $3)")
        .bind(device.id.as_str())
        .bind(format_utc(now))
        .bind(hit)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn summary(conn: &mut sqlx::AnyConnection, id: &str) -> Result<Option<BookingSummary>, ApiError> {
    let Some(appointment) = records::appointment(conn, id).await? else { return Ok(None) };
    let customer = records::customer(conn, appointment.customer.as_str()).await?;
    let vehicle = records::vehicle(conn, appointment.vehicle.as_str()).await?;
    let advisor = match &appointment.advisor {
        Some(a) => records::advisor(conn, a.as_str()).await?,
        None => None,
    };
    let (Some(customer), Some(vehicle)) = (customer, vehicle) else { return Ok(None) };
    Ok(Some(BookingSummary {
        appointment: AppointmentId::parse(id).map_err(|_| ApiError::DatabaseUnavailable)?,
        code: appointment.code,
        slot_start: appointment.slot_start,
        name_masked: mask_name(customer.name.as_str()),
        plate_masked: vehicle.plate.masked(),
        advisor_name: advisor.map(|a| a.name.as_str().to_owned()),
        services: appointment.services.as_slice().to_vec(),
        transport: appointment.transport,
        concerns: appointment.concerns.as_str().to_owned(),
    }))
}
