//! One writer across tabs: the Web Locks API (`navigator.locks.request`). web-sys has it only
//! behind `web_sys_unstable_apis`, so the one call is bound here.

use js_sys::{Array, Function, Promise};
use std::future::Future;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    type LockManager;
    #[wasm_bindgen(method, catch)]
    fn request(this: &LockManager, name: &str, callback: &Function) -> Result<Promise, JsValue>;
}

/// Runs `work` while holding the lock `name`, waiting for any other tab holding it. Without Web
/// Locks (an insecure origin such as plain http on a LAN, or an old browser) `work` runs unlocked:
/// seq assignment stays safe there because each save reads and bumps the next seq inside one
/// readwrite IndexedDB transaction, and those never overlap; two tabs may then push the same
/// entries at once, which the server's per-device seq check turns into a harmless repeat.
pub async fn exclusive<T>(name: &str, work: impl Future<Output = T>) -> T {
    let Some(locks) = lock_manager() else { return work.await };
    let (granted, grant) = promise();
    let (released, release) = promise();
    // The lock is held until the promise this callback returns settles.
    let callback = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        let _ = grant.call0(&JsValue::NULL);
        released
    });
    let Ok(request) = locks.request(name, callback.unchecked_ref()) else { return work.await };
    // A refused request rejects `request` without ever granting: then work unlocked, as above.
    if JsFuture::from(Promise::race(&Array::of2(&granted, &request))).await.is_err() {
        return work.await;
    }
    let _release = Release(release);
    work.await
}

/// Releases on drop, so a dropped future cannot keep the lock for the tab's lifetime.
struct Release(Function);

impl Drop for Release {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined()).then(|| locks.unchecked_into())
}

/// A promise and the function that resolves it.
fn promise() -> (Promise, Function) {
    let mut resolve = None;
    let promise = Promise::new(&mut |ok, _| resolve = Some(ok));
    (promise, resolve.expect("the executor runs at once"))
}
