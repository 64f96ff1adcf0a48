//! The real transport: `fetch` to the server's API, with the device's bearer token and, on a
//! tablet, the advisor's session.

use super::{LocalFuture, Transport, TransportError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

pub struct HttpTransport;

impl Transport for HttpTransport {
    /// Gzips the body (`CompressionStream`; the server takes `Content-Encoding: gzip`): a push of
    /// walk-around sheets shrinks about tenfold, which a tablet on the lobby's wifi feels. As it
    /// was where the browser cannot, or for a small body.
    fn prepare(&self, body: js_sys::JsString) -> LocalFuture<JsValue> {
        Box::pin(async move {
            if body.length() < 1024 {
                return body.into();
            }
            gzip(&body).await.unwrap_or_else(|_| body.into())
        })
    }

    fn push(&self, token: &str, session: Option<&str>, body: JsValue) -> LocalFuture<Result<String, TransportError>> {
        let (token, session) = (token.to_owned(), session.map(str::to_owned));
        Box::pin(async move { request("POST", "/api/sync/push", Some(&token), session.as_deref(), Some(body)).await })
    }

    fn pull(&self, token: &str, cursor: u64, limit: u32) -> LocalFuture<Result<String, TransportError>> {
        let (token, url) = (token.to_owned(), format!("/api/sync/pull?cursor={cursor}&limit={limit}"));
        Box::pin(async move { request("GET", &url, Some(&token), None, None).await })
    }
}

/// One request to the API; the answer's text on 2xx.
pub async fn fetch(method: &str, url: &str, token: Option<&str>, session: Option<&str>, body: Option<&str>) -> Result<String, TransportError> {
    request(method, url, token, session, body.map(JsValue::from)).await
}

/// `PUT` of an image's bytes (a photo), with the device's token and the advisor's session.
pub async fn upload(url: &str, token: &str, session: Option<&str>, bytes: &[u8], media_type: &str) -> Result<String, TransportError> {
    let headers = headers(Some(token), session).map_err(network)?;
    headers.set("Content-Type", media_type).map_err(network)?;
    let init = RequestInit::new();
    init.set_method("PUT");
    init.set_body(&js_sys::Uint8Array::from(bytes));
    send(url, &init, &headers).await
}

fn network(error: JsValue) -> TransportError {
    TransportError::Network(format!("{error:?}"))
}

fn headers(token: Option<&str>, session: Option<&str>) -> Result<Headers, JsValue> {
    let headers = Headers::new()?;
    if let Some(token) = token {
        headers.set("Authorization", &format!("Bearer {token}"))?;
    }
    if let Some(session) = session {
        headers.set("lane-advisor-session", session)?;
    }
    Ok(headers)
}

async fn request(method: &str, url: &str, token: Option<&str>, session: Option<&str>, body: Option<JsValue>) -> Result<String, TransportError> {
    let headers = headers(token, session).map_err(network)?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").map_err(network)?;
        if body.is_instance_of::<js_sys::ArrayBuffer>() {
            headers.set("Content-Encoding", "gzip").map_err(network)?;
        }
        init.set_body(&body);
    }
    send(url, &init, &headers).await
}

async fn send(url: &str, init: &RequestInit, headers: &Headers) -> Result<String, TransportError> {
    init.set_headers(headers);
    let window = web_sys::window().ok_or_else(|| TransportError::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, init)).await.map_err(network)?.unchecked_into();
    let text = JsFuture::from(response.text().map_err(network)?).await.map_err(network)?.as_string().unwrap_or_default();
    match response.status() {
        200..=299 => Ok(text),
        status => Err(TransportError::Status { status, body: text }),
    }
}

// `CompressionStream` and the few calls around it, bound here: web-sys has them behind several
// features, for more glue than these four lines.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Blob)]
    type JsBlob;
    #[wasm_bindgen(constructor, js_class = "Blob", catch)]
    fn new(parts: &js_sys::Array) -> Result<JsBlob, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn stream(this: &JsBlob) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = CompressionStream)]
    type Compression;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<Compression, JsValue>;
}

/// The gzip of `text`'s UTF-8, as an `ArrayBuffer`.
async fn gzip(text: &js_sys::JsString) -> Result<JsValue, JsValue> {
    let stream = JsBlob::new(&js_sys::Array::of1(text))?.stream()?;
    let pipe = js_sys::Reflect::get(&stream, &"pipeThrough".into())?.unchecked_into::<js_sys::Function>();
    let compressed = pipe.call1(&stream, &Compression::new("gzip")?.into())?;
    // `new Response(stream)` reads it to the end (web-sys has that constructor only with streams on).
    let class = js_sys::Reflect::get(&js_sys::global(), &"Response".into())?.unchecked_into::<js_sys::Function>();
    let response: Response = js_sys::Reflect::construct(&class, &js_sys::Array::of1(&compressed))?.unchecked_into();
    JsFuture::from(response.array_buffer()?).await
}
