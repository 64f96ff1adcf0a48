//! Serving the built app: static files (precompressed when Trunk's post-build left `.br`/`.gz`
//! beside them), `index.html` for every app route so that deep links load, and the security
//! headers, with a Content-Security-Policy that allows exactly this build's inline loader.

use axum::body::Body;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::ServeDir;

/// The built app as loaded at start: its directory and `index.html`.
#[derive(Clone)]
pub struct WebApp {
    pub dir: PathBuf,
    pub index: Option<Arc<[u8]>>,
    pub csp: HeaderValue,
}

impl WebApp {
    pub fn load(dir: &Path) -> WebApp {
        let index: Option<Arc<[u8]>> = std::fs::read(dir.join("index.html")).ok().map(Into::into);
        if index.is_none() {
            tracing::warn!(dir = %dir.display(), "no index.html: the app is not built; only /api is served");
        }
        let html = index.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
        let csp = HeaderValue::from_str(&content_security_policy(&html)).expect("the policy is ASCII");
        WebApp { dir: dir.to_owned(), index, csp }
    }

    /// The service for everything outside `/api`.
    pub fn router(&self) -> Router {
        let app = self.clone();
        let fallback = move |req: Request| {
            let app = app.clone();
            async move { app.fallback(req.uri().path()) }
        };
        Router::new().fallback_service(
            ServeDir::new(&self.dir).precompressed_br().precompressed_gzip().fallback(fallback.into_service()),
        )
    }

    /// A path that names no file: an app route gets `index.html`; a missing asset gets a 404,
    /// because answering a script or image request with HTML only hides the mistake.
    fn fallback(&self, path: &str) -> Response {
        let last = path.rsplit('/').next().unwrap_or_default();
        if last.contains('.') {
            return (StatusCode::NOT_FOUND, "Not found").into_response();
        }
        match &self.index {
            Some(index) => {
                ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], Body::from(index.to_vec())).into_response()
            }
            None => (StatusCode::SERVICE_UNAVAILABLE, "The app is not built yet: run the README's first command.")
                .into_response(),
        }
    }
}

/// Allows the app's own files, wasm compilation, and the inline scripts of this `index.html` by
/// their hashes (Trunk's loader is inline); nothing from elsewhere, and no framing.
pub fn content_security_policy(index_html: &str) -> String {
    let hashes: String = inline_scripts(index_html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("<script").filter_map(move |(start, _)| {
        let open_end = start + html[start..].find('>')?;
        let tag = &html[start..open_end];
        if tag.contains(" src=") || tag.contains("\tsrc=") || tag.contains("\nsrc=") {
            return None;
        }
        let body_start = open_end + 1;
        let body_end = body_start + html[body_start..].find("</script>")?;
        Some(&html[body_start..body_end])
    })
}

/// Hashed build files never change, so browsers may keep them; everything else is revalidated,
/// so a new build (and its service worker) is picked up at once.
pub async fn cache_control(req: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(req.uri().path());
    let mut response = next.run(req).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static(value));
    response
}

/// Trunk names built files `name-<hash>.ext` (or `_bg.wasm`), the hash being a 64-bit number in
/// hex without leading zeros.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default().trim_end_matches("_bg");
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = r#"<script type="module">import init from '/a.js';</script><script src="/b.js"></script>"#;
        let scripts: Vec<_> = inline_scripts(html).collect();
        assert_eq!(scripts, vec!["import init from '/a.js';"]);
        let csp = content_security_policy(html);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"import init from '/a.js';"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }

    #[test]
    fn only_trunk_hashed_names_are_immutable() {
        assert!(is_hashed_asset("/lane-app-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/lane-app-0123456789abcdef.js"));
        assert!(is_hashed_asset("/main-fedcba9876543210.css"));
        assert!(is_hashed_asset("/lane-app-be797ab4619a1a.js"));
        assert!(!is_hashed_asset("/icons/icon-192.png"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/kiosk"));
    }
}
