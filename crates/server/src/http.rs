//! The HTTP surface: `/api` (JSON only) and the app for every other path.

use crate::db::Db;
use crate::error::ApiError;
use crate::web::{self, WebApp};
use crate::{advisors, devices, kiosk, photos, signatures, sync};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::get;
use axum::{middleware, Json, Router};
use lane_domain::api::Health;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest request body: a push of [`lane_domain::sync::MAX_PUSH`] inspection records fits.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The bearer token of the admin API; without one the admin API refuses every call.
    pub admin_token: Option<String>,
}

impl AppState {
    /// The dealership this server keeps: the first one (a server per dealership for now).
    pub async fn dealership(&self) -> Result<String, ApiError> {
        sqlx::query_scalar("SELECT id FROM dealerships ORDER BY created_at LIMIT 1")
            .fetch_optional(&self.db.pool)
            .await?
            .ok_or(ApiError::Invalid("No dealership is set up on this server.".into()))
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Lane API", description = "Lane's service-lane API: devices, advisors, the kiosk and sync. Every error is a `Problem`."),
    modifiers(&Security),
    components(schemas(lane_domain::api::Problem, lane_domain::api::ErrorCode))
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |what: &str| SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some(what)).build());
        components.add_security_scheme("device", bearer("An enrolled device's token."));
        components.add_security_scheme("admin", bearer("The server's LANE_ADMIN_TOKEN."));
    }
}

/// The API's routes and the OpenAPI document generated from the same handlers, so they cannot drift.
pub fn api(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    let (routes, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(devices::new_enrolment_code))
        .routes(routes!(devices::enrol))
        .routes(routes!(devices::list))
        .routes(routes!(devices::revoke))
        .routes(routes!(advisors::sign_in))
        .routes(routes!(advisors::sign_out))
        .routes(routes!(kiosk::catalogue))
        .routes(routes!(kiosk::slots))
        .routes(routes!(kiosk::lookup))
        .routes(routes!(kiosk::returning))
        .routes(routes!(sync::push::push))
        .routes(routes!(sync::pull::pull))
        .routes(routes!(photos::put, photos::get))
        .routes(routes!(signatures::verification))
        .with_state(state)
        .split_for_parts();
    (routes, openapi)
}

pub fn router(state: AppState, app: &WebApp) -> Router {
    let (routes, mut openapi) = api(state);
    openapi.servers = Some(vec![utoipa::openapi::Server::new("/api")]);
    let api = routes
        .route("/openapi.json", get(move || async move { Json(openapi) }))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new());

    Router::new()
        .nest("/api", api)
        .fallback_service(app.router())
        .layer(middleware::from_fn(web::cache_control))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, app.csp.clone()))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(self), microphone=(), geolocation=()"),
        ))
        .layer(TraceLayer::new_for_http())
}

#[utoipa::path(get, path = "/health", tag = "server", responses((status = 200, body = Health)))]
async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health { version: env!("CARGO_PKG_VERSION").to_owned(), database: state.db.ping().await })
}
