//! The installable, offline app: register the service worker that precaches this build, and ask
//! the browser not to evict our storage (an evicted outbox is lost work).

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};

pub fn register() {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    // Service workers exist only in secure contexts (https, or localhost).
    if js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        let registration = navigator.service_worker().register("/sw.js");
        spawn_local(async move {
            if let Err(error) = JsFuture::from(registration).await {
                web_sys::console::warn_2(&"Lane: service worker not registered; offline start unavailable".into(), &error);
            }
        });
    }
    if js_sys::Reflect::has(&navigator, &JsValue::from_str("storage")).unwrap_or(false) {
        if let Ok(request) = navigator.storage().persist() {
            spawn_local(async move {
                let _ = JsFuture::from(request).await;
            });
        }
    }
}
