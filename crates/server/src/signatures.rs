//! Checking a stored signature again: the canonical document kept beside it must still hash to
//! what was signed, and the visit must still hold the signed fields. Staff run it when a customer
//! disputes an order; the tests run it after changing a stored byte.

use crate::auth::Device;
use crate::error::ApiError;
use crate::http::AppState;
use axum::extract::{Path, State};
use axum::Json;
use lane_domain::device::DeviceKind;
use lane_domain::document::verify_stored;
use lane_domain::drop_off::Verification;
use lane_domain::ids::SignatureId;
use lane_domain::signature::{DocumentKind, Signature, Tamper};
use lane_domain::visit::Visit;

#[utoipa::path(get, path = "/signatures/{id}/verification", tag = "sync", security(("device" = [])),
    params(("id" = String, Path, description = "The signature's id")),
    responses((status = 200, body = Verification), (status = "4XX", body = lane_domain::api::Problem)))]
pub async fn verification(State(state): State<AppState>, device: Device, Path(id): Path<String>) -> Result<Json<Verification>, ApiError> {
    device.require(DeviceKind::Tablet, "check signatures")?;
    let id = SignatureId::parse(&id).map_err(|e| ApiError::Invalid(e.to_string()))?;
    let mut conn = state.db.pool.acquire().await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT s.body, s.document, v.body FROM signatures s JOIN visits v ON v.id = s.visit_id WHERE s.id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let (signature, document, visit) = row.ok_or(ApiError::NotFound)?;
    // A stored row that no longer parses was changed after it was written: that is what this
    // check is for, so it is an answer, not a server error.
    let (outcome, superseded) = match (serde_json::from_str::<Signature>(&signature), serde_json::from_str::<Visit>(&visit)) {
        (Ok(signature), Ok(visit)) if signature.id == id => {
            let superseded = signature.document.kind == DocumentKind::DropOffOrder && signature.document.version < visit.order_version;
            (verify_stored(&signature, &document, &visit), superseded)
        }
        _ => (Err(Tamper::DocumentChanged), false),
    };
    Ok(Json(Verification::of(id, outcome, superseded)))
}
