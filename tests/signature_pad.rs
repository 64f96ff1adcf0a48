//! The signature pad in headless Chromium, drawn on with synthetic pointer events: the strokes
//! reach the signal at pen-up only, in the domain's units, with every coalesced sample; Undo and
//! Clear change them; and the signature's SVG image.

use lane_app::advisor::signature_pad::{SignatureImage, SignaturePad};
use lane_app::i18n::{provide_i18n, Msg};
use lane_domain::signature::{Point, Stroke, Strokes};
use lane_domain::Language;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, PointerEvent, PointerEventInit};

mod dom;
use dom::{button_named, container};

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |done, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&done, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A pointer event at `(fx, fy)` of the canvas's width and height (beyond 1 is outside it).
fn event(kind: &str, canvas: &Element, id: i32, device: &str, (fx, fy): (f64, f64), coalesced: &[PointerEvent]) -> PointerEvent {
    let rect = canvas.get_bounding_client_rect();
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_pointer_id(id);
    init.set_pointer_type(device);
    init.set_pressure(0.5);
    init.set_is_primary(true);
    init.set_button(0);
    init.set_client_x((rect.left() + fx * rect.width()).round() as i32);
    init.set_client_y((rect.top() + fy * rect.height()).round() as i32);
    let list: js_sys::Array = coalesced.iter().collect();
    js_sys::Reflect::set(&init, &JsValue::from_str("coalescedEvents"), &list).unwrap();
    PointerEvent::new_with_event_init_dict(kind, &init).unwrap()
}

fn send(canvas: &Element, ev: PointerEvent) {
    canvas.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn strokes_reach_the_signal_at_pen_up_and_undo_and_clear_remove_them() {
    let root = container();
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n().set(Language::English);
        view! { <SignaturePad label=Msg::SignaturePadArea strokes /> }
    });
    // The pad sizes itself when the resize observer first reports, after layout.
    sleep(50).await;
    let canvas = root.query_selector("canvas").unwrap().expect("a canvas");
    let width = f64::from(canvas.client_width()) * web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(f64::from(canvas.unchecked_ref::<web_sys::HtmlCanvasElement>().width()), width.round(), "a canvas pixel for each screen pixel");
    assert!(button_named(&root, "Undo").has_attribute("disabled"));
    assert!(button_named(&root, "Clear").has_attribute("disabled"));

    // A pen: down at 10% across, four moves, then one move carrying three coalesced samples.
    send(&canvas, event("pointerdown", &canvas, 7, "pen", (0.1, 0.5), &[]));
    for i in 1..=4 {
        send(&canvas, event("pointermove", &canvas, 7, "pen", (0.1 + 0.05 * f64::from(i), 0.5), &[]));
    }
    let samples: Vec<PointerEvent> = (1..=3).map(|i| event("pointermove", &canvas, 7, "pen", (0.3 + 0.1 * f64::from(i), 0.6), &[])).collect();
    send(&canvas, event("pointermove", &canvas, 7, "pen", (0.6, 0.6), &samples));
    // Another finger meanwhile is not part of the stroke.
    send(&canvas, event("pointermove", &canvas, 8, "touch", (0.9, 0.9), &[]));
    assert!(strokes.with_untracked(Vec::is_empty), "no strokes before the pen lifts");
    send(&canvas, event("pointerup", &canvas, 7, "pen", (0.6, 0.6), &[]));

    let drawn = strokes.get_untracked();
    assert_eq!(drawn.len(), 1);
    let points = &drawn[0].points;
    assert_eq!(points.len(), 8, "the pen-down, four moves and three coalesced samples: {points:?}");
    let near = |point: &Point, x: u16, y: u16| point.x.abs_diff(x) <= 40 && point.y.abs_diff(y) <= 40;
    assert!(near(&points[0], 1000, 5000), "{:?}", points[0]);
    assert!(near(&points[7], 6000, 6000), "{:?}", points[7]);
    assert_eq!((points[0].t, points[0].pressure), (0, 128), "time from the first pen-down; a pen's pressure");
    assert!(points.windows(2).all(|p| p[0].t <= p[1].t));

    // A mouse reports no real pressure; leaving the pad is clamped to its edge.
    send(&canvas, event("pointerdown", &canvas, 1, "mouse", (0.5, 0.2), &[]));
    send(&canvas, event("pointermove", &canvas, 1, "mouse", (1.5, -0.5), &[]));
    send(&canvas, event("pointerup", &canvas, 1, "mouse", (1.5, -0.5), &[]));
    leptos::task::tick().await;
    let drawn = strokes.get_untracked();
    assert_eq!(drawn.len(), 2);
    assert_eq!(drawn[1].points[1], Point { x: 10_000, y: 0, ..drawn[1].points[1] });
    assert!(drawn[1].points.iter().all(|p| p.pressure == 0));
    assert!(drawn[1].points[0].t >= drawn[0].points[7].t);
    assert_eq!(Strokes::new(drawn).map(|s| s.as_slice().len()), Ok(2), "the domain takes what the pad drew");
    assert!(!button_named(&root, "Undo").has_attribute("disabled"));

    button_named(&root, "Undo").click();
    leptos::task::tick().await;
    assert_eq!(strokes.with_untracked(Vec::len), 1);
    button_named(&root, "Clear").click();
    leptos::task::tick().await;
    assert!(strokes.with_untracked(Vec::is_empty));
    assert!(button_named(&root, "Clear").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn the_image_draws_each_stroke_as_a_path() {
    let root = container();
    let dot = Stroke { points: vec![Point { x: 10_000, y: 10_000, t: 0, pressure: 0 }] };
    let line = Stroke { points: (0..4).map(|i| Point { x: i * 1000, y: 5000, t: u32::from(i) * 4, pressure: 0 }).collect() };
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <SignatureImage strokes=vec![line, dot] label="Customer's signature".into() /> });
    leptos::task::tick().await;
    let svg = root.query_selector("svg").unwrap().expect("an svg");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(svg.get_attribute("aria-label").as_deref(), Some("Customer's signature"));
    assert_eq!(svg.get_attribute("viewBox").as_deref(), Some("0 0 10000 4000"));
    let paths = svg.query_selector_all("path").unwrap();
    let d = |i| paths.item(i).unwrap().unchecked_into::<Element>().get_attribute("d").unwrap();
    assert_eq!(paths.length(), 2);
    assert_eq!(d(0), "M0 2000Q0 2000 500 2000Q1000 2000 1500 2000Q2000 2000 2500 2000L3000 2000");
    assert_eq!(d(1), "M10000 4000L10000 4000");
}
