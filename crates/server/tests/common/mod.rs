//! Shared set-up for the server's integration tests: a real database (a fresh SQLite file, or a
//! fresh PostgreSQL database when `LANE_TEST_POSTGRES_URL` names a server) and a built-app folder.

#![allow(dead_code)] // each test binary uses a different part of this module

use axum::body::Body;
use axum::http::{Request, Response};
use http_body_util::BodyExt;
use lane_server::db::Db;
use lane_server::http::{router, AppState};
use lane_server::web::WebApp;
use std::path::Path;
use tower::ServiceExt;

pub const INDEX_HTML: &str = "<!DOCTYPE html><html><head><script type=\"module\">import init from '/app-0123456789abcdef.js'; await init();</script></head><body></body></html>";

/// A folder laid out like Trunk's `dist/`.
pub fn built_app(dir: &Path) {
    std::fs::write(dir.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js"), "export default function init() {}").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.br"), b"brotli bytes").unwrap();
    std::fs::write(dir.join("sw.js"), "self.addEventListener('fetch', () => {});").unwrap();
}

pub struct TestApp {
    pub db: Db,
    pub router: axum::Router,
    _dir: tempfile::TempDir,
}

pub async fn sqlite_app() -> TestApp {
    app_on(None, None).await
}

/// An app over `database` (a fresh SQLite file when `None`), with the admin API enabled by
/// `admin_token` (or disabled, as without `LANE_ADMIN_TOKEN`, when `None`).
pub async fn app_on(database: Option<&str>, admin_token: Option<&str>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = match database {
        Some(url) => url.to_owned(),
        None => dir.path().join("data/lane.db").to_str().unwrap().to_owned(),
    };
    let db = Db::open(&url).await.unwrap();
    built_app(dir.path());
    let web = WebApp::load(dir.path());
    let router = router(AppState { db: db.clone(), admin_token: admin_token.map(str::to_owned) }, &web);
    TestApp { db, router, _dir: dir }
}

impl TestApp {
    /// Another router over the same database, with another admin token (or none).
    pub fn router_with_admin_token(&self, admin_token: Option<&str>) -> axum::Router {
        router(AppState { db: self.db.clone(), admin_token: admin_token.map(str::to_owned) }, &WebApp::load(self._dir.path()))
    }
}

/// A fresh database on the test PostgreSQL server, or `None` when no server was provided.
pub async fn postgres_url() -> Option<String> {
    let admin_url = std::env::var("LANE_TEST_POSTGRES_URL").ok()?;
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&admin_url).await.expect("the test PostgreSQL server accepts connections");
    let name = format!(
        "lane_test_{}_{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    );
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    admin.close().await;
    let (base, _) = admin_url.rsplit_once('/').expect("a URL with a database name");
    Some(format!("{base}/{name}"))
}

pub async fn send(router: &axum::Router, request: Request<Body>) -> Response<Body> {
    router.clone().oneshot(request).await.unwrap()
}

pub async fn get(router: &axum::Router, uri: &str) -> Response<Body> {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub async fn body_bytes(response: Response<Body>) -> Vec<u8> {
    response.into_body().collect().await.unwrap().to_bytes().to_vec()
}

pub async fn body_json(response: Response<Body>) -> serde_json::Value {
    serde_json::from_slice(&body_bytes(response).await).expect("a JSON body")
}

pub async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db.pool).await.unwrap()
}
