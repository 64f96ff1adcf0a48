//! Hooks for the drain benchmark (scripts/bench-drain.mjs), only in a build with the `bench`
//! feature: the normal bundle has none of this. It queues realistic walk-around edits through the
//! app's own save path ([`SyncEngine::save`]) and reports when the last push was acknowledged.

use crate::sync::SyncEngine;
use lane_domain::sync::Change;
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

thread_local! {
    static ENGINE: RefCell<Option<SyncEngine>> = const { RefCell::new(None) };
    static ACKNOWLEDGED: Cell<f64> = const { Cell::new(0.0) };
    static MARKS: RefCell<Vec<(&'static str, f64)>> = const { RefCell::new(Vec::new()) };
}

/// Notes when the engine reached a step (see [`bench_marks`]).
pub fn mark(step: &'static str) {
    MARKS.with(|m| m.borrow_mut().push((step, performance_now())));
}

/// The engine's steps since the last call, as `"step@ms"` text, and forgets them.
#[wasm_bindgen]
pub fn bench_marks() -> Vec<String> {
    MARKS.with(|m| m.borrow_mut().drain(..).map(|(step, at)| format!("{step}@{at:.1}")).collect())
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// The app's engine, kept when it is provided.
pub fn keep(engine: SyncEngine) {
    ENGINE.with(|e| *e.borrow_mut() = Some(engine));
}

/// Called after each push's answers are stored.
pub fn acknowledged() {
    ACKNOWLEDGED.with(|a| a.set(performance_now()));
    mark("stored");
}

fn engine() -> Result<SyncEngine, JsValue> {
    ENGINE.with(|e| e.borrow().clone()).ok_or_else(|| JsValue::from_str("the app has not started"))
}

fn failed(error: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&error.to_string())
}

/// `performance.now()` when the last push's answers were stored (0 before any).
#[wasm_bindgen]
pub fn bench_acknowledged_at() -> f64 {
    ACKNOWLEDGED.with(Cell::get)
}

/// How many changes wait in the outbox.
#[wasm_bindgen]
pub async fn bench_pending() -> Result<u32, JsValue> {
    engine()?.store().await.map_err(failed)?.pending_count().await.map_err(failed)
}

/// How many changes the server rejected (the benchmark's must all be applied).
#[wasm_bindgen]
pub async fn bench_rejected() -> Result<u32, JsValue> {
    Ok(engine()?.store().await.map_err(failed)?.rejected().await.map_err(failed)?.len() as u32)
}

/// How many visits the device has pulled.
#[wasm_bindgen]
pub async fn bench_visits() -> Result<u32, JsValue> {
    Ok(engine()?.store().await.map_err(failed)?.records_js("visit").await.map_err(failed)?.len() as u32)
}

const ITEMS: [&str; 13] = [
    "tyres", "front_lights", "wipers", "fluids", "belts", "hoses", "battery", "boot", "tail_lights", "underbody", "interior_trim", "controls", "instrument_panel",
];
const ZONES: [&str; 5] = ["bonnet", "roof", "boot", "front_bumper", "rear_bumper"];
const KINDS: [&str; 3] = ["scratch", "dent", "chip"];
const SEVERITIES: [&str; 3] = ["minor", "moderate", "severe"];

/// A realistic inspection (as scripts/bench-sync.mjs makes): every checklist item, three damage
/// marks with notes, two warning lights.
fn walkaround(n: u32) -> Value {
    let marks: Vec<Value> = (0..3usize)
        .map(|i| {
            json!({
                "id": format!("m-{n}-{i}"),
                "zone": ZONES[(n as usize + i) % ZONES.len()],
                "kind": KINDS[i],
                "severity": SEVERITIES[i],
                "note": format!("Mark {i} of inspection {n}: about 3 cm, visible in daylight, customer aware"),
                "photos": [],
            })
        })
        .collect();
    let checklist: Vec<Value> = ITEMS
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let attention = i % 5 == 0;
            json!({ "item": item, "outcome": if attention { "attention" } else { "ok" }, "note": if attention { "Worth a look at the next service" } else { "" } })
        })
        .collect();
    json!({ "marks": marks, "checklist": checklist, "warning_lights": ["tyre_pressure", "check_engine"] })
}

/// Queues `n` walk-around edits, spread over the visits the device has, each through the app's
/// save (record and outbox entry in one transaction); resolves once all are saved.
#[wasm_bindgen]
pub async fn bench_queue(n: u32) -> Result<u32, JsValue> {
    let engine = engine()?;
    let store = engine.store().await.map_err(failed)?;
    let visits = store.versions("visit").await.map_err(failed)?;
    if visits.is_empty() {
        return Err(JsValue::from_str("no visits pulled yet"));
    }
    let mut visits: Vec<(Value, u64)> = visits.into_iter().filter_map(|(json, version)| Some((serde_json::from_str(&json).ok()?, version))).collect();
    for i in 0..n {
        let count = visits.len();
        let (visit, base) = &mut visits[i as usize % count];
        let id = visit["id"].as_str().unwrap_or_default().to_owned();
        let sheet = walkaround(i);
        visit["walkaround"] = sheet.clone();
        let change: Change = serde_json::from_value(json!({ "type": "edit_visit", "visit": id, "base": *base, "edit": { "field": "walkaround", "value": sheet } })).map_err(failed)?;
        engine.save("visit", &id, &*visit, change).await.map_err(failed)?;
    }
    Ok(n)
}
