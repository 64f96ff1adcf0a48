//! The HTTP surface: `/api` (JSON only) and the app for every other path.

use crate::db::Db;
use crate::error::ApiError;
use crate::web::{self, WebApp};
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::get;
use axum::{middleware, Json, Router};
use lane_domain::api::Health;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
}

pub fn router(state: AppState, app: &WebApp) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(CompressionLayer::new())
        .with_state(state);

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

async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health { version: env!("CARGO_PKG_VERSION").to_owned(), database: state.db.ping().await })
}
