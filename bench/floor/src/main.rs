//! The floor for the bundle-size budget: the least a Leptos 0.8 app with a router, gloo-storage
//! and chrono weighs with Lane's release profile and wasm-opt. Lane's shell is measured against it.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
fn Hello() -> impl IntoView {
    let visits = LocalStorage::get::<u32>("floor.visits").unwrap_or(0) + 1;
    let _ = LocalStorage::set("floor.visits", visits);
    let today = chrono::Utc::now().date_naive().to_string();
    view! { <h1>"Hello"</h1><p>{today} " #" {visits}</p> }
}

fn main() {
    leptos::mount::mount_to_body(|| {
        view! {
            <Router>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=Hello />
                </Routes>
            </Router>
        }
    });
}
