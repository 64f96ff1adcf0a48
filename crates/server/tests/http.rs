//! The HTTP surface as a browser or device meets it: health, JSON errors, the app's files and
//! deep links, the security headers.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;

#[tokio::test]
async fn health_reports_version_and_database() {
    let app = sqlite_app().await;
    let response = get(&app.router, "/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let json = body_json(response).await;
    assert_eq!(json, serde_json::json!({ "version": env!("CARGO_PKG_VERSION"), "database": true }));
}

#[tokio::test]
async fn health_says_when_the_database_is_gone() {
    let app = sqlite_app().await;
    app.db.close().await;
    let json = body_json(get(&app.router, "/api/health").await).await;
    assert_eq!(json["database"], false);
}

#[tokio::test]
async fn unknown_api_routes_are_json_404s() {
    let app = sqlite_app().await;
    for uri in ["/api/nope", "/api", "/api/health/extra", "/api/visits/123"] {
        let response = get(&app.router, uri).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json", "{uri}");
        let json = body_json(response).await;
        assert_eq!(json["code"], "not_found", "{uri}");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let app = sqlite_app().await;
    let response = send(&app.router, Request::post("/api/health").body(Body::from("{}")).unwrap()).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body_json(response).await["code"], "method_not_allowed");
}

#[tokio::test]
async fn app_routes_and_deep_links_get_index_html() {
    let app = sqlite_app().await;
    for uri in ["/", "/kiosk", "/advisor", "/advisor/visits/3f1c9a", "/no/such/screen"] {
        let response = get(&app.router, uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "{uri}");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache", "{uri}");
        assert_eq!(String::from_utf8(body_bytes(response).await).unwrap(), INDEX_HTML, "{uri}");
    }
}

#[tokio::test]
async fn a_missing_asset_is_a_404_not_the_app() {
    let app = sqlite_app().await;
    let response = get(&app.router, "/app-ffffffffffffffff.js").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_sent_precompressed() {
    let app = sqlite_app().await;
    let request = Request::get("/app-0123456789abcdef.js").header(header::ACCEPT_ENCODING, "br, gzip").body(Body::empty()).unwrap();
    let response = send(&app.router, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(body_bytes(response).await, b"brotli bytes");

    let plain = get(&app.router, "/app-0123456789abcdef.js").await;
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body_bytes(plain).await, b"export default function init() {}");

    let worker = get(&app.router, "/sw.js").await;
    assert_eq!(worker.headers()[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn api_json_is_compressed_when_asked() {
    let app = sqlite_app().await;
    let request = Request::get("/api/nope").header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
    let response = send(&app.router, request).await;
    // Small bodies may go uncompressed; the layer must at least advertise that it varies.
    assert_eq!(response.headers()[header::VARY], "accept-encoding");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = sqlite_app().await;
    for uri in ["/", "/api/health", "/api/nope", "/app-0123456789abcdef.js"] {
        let response = get(&app.router, uri).await;
        let headers = response.headers();
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{uri}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(!csp.contains("'unsafe-inline'"), "{uri}: {csp}");
        // The inline loader of this index.html, and only it, is allowed by hash.
        assert_eq!(csp.matches("'sha256-").count(), 1, "{uri}: {csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
    }
}

#[tokio::test]
async fn without_a_built_app_the_api_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let db = lane_server::db::Db::open(dir.path().join("lane.db").to_str().unwrap()).await.unwrap();
    let web = lane_server::web::WebApp::load(&dir.path().join("missing-dist"));
    let router = lane_server::http::router(lane_server::http::AppState { db, admin_token: None }, &web);
    assert_eq!(get(&router, "/api/health").await.status(), StatusCode::OK);
    assert_eq!(get(&router, "/kiosk").await.status(), StatusCode::SERVICE_UNAVAILABLE);
}
