//! The signature pad alone on `/bench/signature`, for scripts/bench-signature.mjs, only in a build
//! with the `bench` feature: the app is not mounted there, so nothing else runs on the page's
//! main thread while the benchmark draws.

use crate::advisor::signature_pad::SignaturePad;
use crate::i18n::{provide_i18n, Msg};
use lane_domain::signature::{Stroke, Strokes};
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

pub const PATH: &str = "/bench/signature";

thread_local! {
    static STROKES: Cell<Option<RwSignal<Vec<Stroke>>>> = const { Cell::new(None) };
}

/// Mounts the pad, in place of the app.
pub fn mount() {
    leptos::mount::mount_to_body(|| {
        provide_i18n();
        let strokes = RwSignal::new(Vec::new());
        STROKES.with(|s| s.set(Some(strokes)));
        view! { <main class="bench-signature"><SignaturePad label=Msg::SignaturePadArea strokes /></main> }
    });
}

fn strokes() -> Vec<Stroke> {
    STROKES.with(Cell::get).map(|s| s.get_untracked()).unwrap_or_default()
}

/// How many points the pad kept.
#[wasm_bindgen]
pub fn bench_signature_points() -> u32 {
    strokes().iter().map(|s| s.points.len() as u32).sum()
}

/// The strokes' stored form, as a signature record holds them (`Strokes::encode`).
#[wasm_bindgen]
pub fn bench_signature_stored() -> Result<String, JsValue> {
    Strokes::new(strokes()).map(|s| s.encode()).map_err(|e| JsValue::from_str(&e.to_string()))
}
