//! The real transport: `fetch` to the server's API, with the device's bearer token and, on a
//! tablet, the advisor's session.

use super::{LocalFuture, Transport, TransportError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

pub struct HttpTransport;

impl Transport for HttpTransport {
    fn push(&self, token: &str, session: Option<&str>, body: String) -> LocalFuture<Result<String, TransportError>> {
        let (token, session) = (token.to_owned(), session.map(str::to_owned));
        Box::pin(async move { fetch("POST", "/api/sync/push", Some(&token), session.as_deref(), Some(&body)).await })
    }

    fn pull(&self, token: &str, cursor: u64, limit: u32) -> LocalFuture<Result<String, TransportError>> {
        let (token, url) = (token.to_owned(), format!("/api/sync/pull?cursor={cursor}&limit={limit}"));
        Box::pin(async move { fetch("GET", &url, Some(&token), None, None).await })
    }
}

/// One request to the API; the answer's text on 2xx.
pub async fn fetch(method: &str, url: &str, token: Option<&str>, session: Option<&str>, body: Option<&str>) -> Result<String, TransportError> {
    let network = |error: wasm_bindgen::JsValue| TransportError::Network(format!("{error:?}"));
    let headers = Headers::new().map_err(network)?;
    if let Some(token) = token {
        headers.set("Authorization", &format!("Bearer {token}")).map_err(network)?;
    }
    if let Some(session) = session {
        headers.set("lane-advisor-session", session).map_err(network)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").map_err(network)?;
        init.set_body(&body.into());
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or_else(|| TransportError::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(network)?.unchecked_into();
    let text = JsFuture::from(response.text().map_err(network)?).await.map_err(network)?.as_string().unwrap_or_default();
    match response.status() {
        200..=299 => Ok(text),
        status => Err(TransportError::Status { status, body: text }),
    }
}
