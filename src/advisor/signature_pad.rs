//! The signature pad and the signature's image (DOMAIN.md steps 4, 5, 7, 11). The pad draws on a
//! canvas imperatively, and hands the strokes to its signal only at pen-up, Clear and Undo: a
//! signal per point would re-run the reactive graph at the pen's 240 Hz. It reads every sample of
//! the pen (`getCoalescedEvents`), not one a frame, and keeps them all: the domain's compact form
//! makes them cheap to store. The ink is drawn by a worker on the canvas transferred to it
//! (`public/pad-worker.js`), so the page's main thread only reads the pen.

use crate::i18n::{use_i18n, Msg};
use lane_domain::signature::{Point, Stroke, PAD_SCALE};
use leptos::html::Canvas;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, PointerEvent, ResizeObserver, Worker};

/// The pad's width to its height (`.signature-pad canvas` in style/main.css has the same): a
/// point's x and y are fractions of these, so the image has the shape that was drawn.
pub const ASPECT: (u32, u32) = (5, 2);

#[wasm_bindgen]
extern "C" {
    /// The fields of a pointer event as the browser has them: web-sys rounds `clientX` and
    /// `clientY` to whole pixels, which is 14 pad units on a tablet.
    type Sample;
    #[wasm_bindgen(method, getter, js_name = clientX)]
    fn client_x(this: &Sample) -> f64;
    #[wasm_bindgen(method, getter, js_name = clientY)]
    fn client_y(this: &Sample) -> f64;
    #[wasm_bindgen(method, getter)]
    fn pressure(this: &Sample) -> f64;
    #[wasm_bindgen(method, getter, js_name = timeStamp)]
    fn time_stamp(this: &Sample) -> f64;
}

#[component]
pub fn SignaturePad(
    /// The pad's accessible name, e.g. "Customer's signature".
    label: Msg,
    /// Replaced on every pen-up, Clear and Undo (never per point): the strokes drawn so far.
    strokes: RwSignal<Vec<Stroke>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let canvas_ref = NodeRef::<Canvas>::new();
    let state: Rc<RefCell<Option<Pad>>> = Rc::default();

    let observer: Rc<RefCell<Option<(ResizeObserver, Closure<dyn FnMut()>)>>> = Rc::default();
    canvas_ref.on_load({
        let state = state.clone();
        let observer = observer.clone();
        move |canvas: HtmlCanvasElement| {
            *state.borrow_mut() = Some(Pad::new(canvas.clone()));
            // Also called once when observing starts: the first sizing.
            let resized = Closure::<dyn FnMut()>::new(move || {
                if let Some(pad) = state.borrow_mut().as_mut() {
                    strokes.with_untracked(|s| pad.resize(s));
                }
            });
            if let Ok(watch) = ResizeObserver::new(resized.as_ref().unchecked_ref()) {
                observe_device_pixels(&watch, &canvas);
                *observer.borrow_mut() = Some((watch, resized));
            }
        }
    });
    let observer = SendWrapper::new(observer);
    on_cleanup(move || {
        if let Some((watch, _)) = observer.borrow_mut().take() {
            watch.disconnect();
        }
    });
    // Clear, Undo or the owner's change: the canvas shows the signal's strokes again. A pen-up
    // adds the stroke already drawn, so it does not redraw.
    Effect::new({
        let state = state.clone();
        move |_| {
            strokes.with(|s| {
                if let Some(pad) = state.borrow_mut().as_mut() {
                    if pad.drawn != s.len() {
                        pad.redraw(s);
                    }
                }
            })
        }
    });

    let down = {
        let state = state.clone();
        move |ev: PointerEvent| {
            if let Some(pad) = state.borrow_mut().as_mut() {
                pad.down(&ev, strokes.with_untracked(Vec::is_empty));
            }
        }
    };
    let moved = {
        let state = state.clone();
        move |ev: PointerEvent| {
            if let Some(pad) = state.borrow_mut().as_mut() {
                pad.moved(&ev);
            }
        }
    };
    let up = move |ev: PointerEvent| {
        let stroke = state.borrow_mut().as_mut().and_then(|pad| pad.up(&ev));
        if let Some(stroke) = stroke {
            strokes.update(|s| s.push(stroke));
        }
    };
    let nothing = Signal::derive(move || strokes.with(Vec::is_empty));
    view! {
        <div class="signature-pad" role="group" aria-label=i18n.msg(label)>
            <canvas
                node_ref=canvas_ref
                role="img"
                aria-label=i18n.msg(Msg::SignaturePadArea)
                on:pointerdown=down
                on:pointermove=moved
                on:pointerup=up.clone()
                on:pointercancel=up
            ></canvas>
            <div class="signature-pad-actions">
                <button type="button" disabled=nothing on:click=move |_| strokes.update(|s| { s.pop(); })>
                    {i18n.msg(Msg::SignaturePadUndo)}
                </button>
                <button type="button" disabled=nothing on:click=move |_| strokes.set(Vec::new())>
                    {i18n.msg(Msg::SignaturePadClear)}
                </button>
            </div>
        </div>
    }
}

/// Observes the canvas's size in device pixels, which also changes when the page is zoomed or
/// moved to a screen of another pixel ratio (`devicePixelRatio` changes, the CSS size does not).
/// A browser without that box (Safari) throws, and then gets the CSS size watched.
fn observe_device_pixels(watch: &ResizeObserver, canvas: &HtmlCanvasElement) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"box".into(), &"device-pixel-content-box".into());
    let observe = js_sys::Reflect::get(watch, &"observe".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if observe.is_none_or(|observe| observe.call2(watch, canvas, &options).is_err()) {
        watch.observe(canvas);
    }
}

/// The ink's worker (`public/pad-worker.js`): it draws on the canvas, transferred to it, what the
/// pad posts, so the page's main thread only reads the pen.
const WORKER: &str = "/pad-worker.js";

/// Where a canvas keeps its worker: a canvas is transferred once, and a view drawn again in place
/// (the document to sign changed) keeps its elements, so the next pad on it finds the worker here.
const INK: &str = "laneInk";

/// The canvas, its ink's worker and the stroke being drawn.
struct Pad {
    canvas: HtmlCanvasElement,
    /// None where the canvas cannot be transferred (the strokes are still kept, not shown). The
    /// worker ends with its canvas: nothing else holds it.
    ink: Option<Worker>,
    /// The drawing area's place on the page in CSS pixels, read at each pen-down (layout is not
    /// read per sample): left, top, width, height.
    rect: [f64; 4],
    /// The pointer drawing, and whether it reports pressure (a pen; a mouse or most fingers report
    /// a fixed 0.5, which is no information).
    pointer: Option<(i32, bool)>,
    /// `timeStamp` of the first pen-down: points' `t` count from it.
    origin: f64,
    current: Vec<Point>,
    /// How many of the signal's strokes the canvas shows.
    drawn: usize,
}

/// Points as the worker reads them: x, y, t and pressure, four numbers a point.
fn flat(points: &[Point]) -> js_sys::Float64Array {
    let numbers: Vec<f64> = points.iter().flat_map(|p| [f64::from(p.x), f64::from(p.y), f64::from(p.t), f64::from(p.pressure)]).collect();
    js_sys::Float64Array::from(&numbers[..])
}

impl Pad {
    fn new(canvas: HtmlCanvasElement) -> Pad {
        let kept = js_sys::Reflect::get(&canvas, &INK.into()).ok().and_then(|w| w.dyn_into::<Worker>().ok());
        let ink = kept.or_else(|| {
            let offscreen = canvas.transfer_control_to_offscreen().ok()?;
            let worker = Worker::new(WORKER).ok()?;
            let message = crate::js::object(&[("canvas", offscreen.clone().into())]);
            worker.post_message_with_transfer(&message, &js_sys::Array::of1(&offscreen)).ok()?;
            let _ = js_sys::Reflect::set(&canvas, &INK.into(), &worker);
            Some(worker)
        });
        Pad { canvas, ink, rect: [0.0, 0.0, 1.0, 1.0], pointer: None, origin: 0.0, current: Vec::new(), drawn: 0 }
    }

    fn post(&self, fields: &[(&str, JsValue)]) {
        if let Some(ink) = &self.ink {
            let _ = ink.post_message(&crate::js::object(fields));
        }
    }

    /// The drawing area is inside the canvas's border.
    fn measure(&mut self) {
        let rect = self.canvas.get_bounding_client_rect();
        let c = &self.canvas;
        self.rect = [
            rect.left() + f64::from(c.client_left()),
            rect.top() + f64::from(c.client_top()),
            f64::from(c.client_width().max(1)),
            f64::from(c.client_height().max(1)),
        ];
    }

    /// Gives the canvas a pixel for each of the screen's (`devicePixelRatio`), drawn in CSS pixels,
    /// and draws `strokes` again on it: resizing clears a canvas.
    fn resize(&mut self, strokes: &[Stroke]) {
        self.measure();
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let size = js_sys::Float64Array::from(&[self.rect[2], self.rect[3], ratio][..]);
        self.post(&[("size", size.into()), ("strokes", self.all(strokes).into())]);
        self.drawn = strokes.len();
    }

    fn redraw(&mut self, strokes: &[Stroke]) {
        self.post(&[("strokes", self.all(strokes).into())]);
        self.drawn = strokes.len();
    }

    /// The strokes and the one being drawn.
    fn all(&self, strokes: &[Stroke]) -> js_sys::Array {
        strokes.iter().map(|s| &s.points[..]).chain([&self.current[..]]).map(|points| JsValue::from(flat(points))).collect()
    }

    /// The sample as the domain's point: clamped to the pad (the pointer is captured, so it can
    /// leave the canvas), in ms since the first pen-down.
    fn point(&self, sample: &Sample, pressured: bool) -> Point {
        let scale = f64::from(PAD_SCALE);
        let unit = |offset: f64, size: f64| (offset / size * scale).round().clamp(0.0, scale) as u16;
        Point {
            x: unit(sample.client_x() - self.rect[0], self.rect[2]),
            y: unit(sample.client_y() - self.rect[1], self.rect[3]),
            t: (sample.time_stamp() - self.origin).round().clamp(0.0, f64::from(u32::MAX)) as u32,
            pressure: if pressured { (sample.pressure() * 255.0).round().clamp(0.0, 255.0) as u8 } else { 0 },
        }
    }

    /// `first`: no stroke yet, so this pen-down starts the signature's clock.
    fn down(&mut self, ev: &PointerEvent, first: bool) {
        // One stroke at a time (a palm or a second finger is ignored), with the main button.
        if self.pointer.is_some() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        if first {
            self.origin = ev.time_stamp();
        }
        // Fails only for a pointer the browser does not know (a script's event); drawing still works.
        let _ = self.canvas.set_pointer_capture(ev.pointer_id());
        let pressured = ev.pointer_type() == "pen";
        self.pointer = Some((ev.pointer_id(), pressured));
        self.measure();
        let point = self.point(ev.unchecked_ref(), pressured);
        self.post(&[("down", flat(std::slice::from_ref(&point)).into())]);
        self.current = vec![point];
    }

    fn moved(&mut self, ev: &PointerEvent) {
        let Some((id, pressured)) = self.pointer else { return };
        if ev.pointer_id() != id {
            return;
        }
        // Every sample since the last event (a script's event has none but itself), posted as one
        // message: the worker draws them as one path, one stroke a frame, not one a sample.
        let samples = ev.get_coalesced_events();
        let from = self.current.len();
        if samples.length() == 0 {
            let point = self.point(ev.unchecked_ref(), pressured);
            self.current.push(point);
        } else {
            samples.for_each(&mut |sample, _, _| {
                let point = self.point(sample.unchecked_ref(), pressured);
                self.current.push(point);
            });
        }
        self.post(&[("move", flat(&self.current[from..]).into())]);
    }

    /// The finished stroke, if this pointer was drawing.
    fn up(&mut self, ev: &PointerEvent) -> Option<Stroke> {
        if self.pointer.is_none_or(|(id, _)| id != ev.pointer_id()) {
            return None;
        }
        self.pointer = None;
        self.post(&[("up", JsValue::TRUE)]);
        self.drawn += 1;
        Some(Stroke { points: std::mem::take(&mut self.current) })
    }
}

/// A signature as an SVG image, for the review screen and the printed order: each stroke one
/// smooth path (through the midpoints, as the pad draws it) of an even width.
#[component]
pub fn SignatureImage(strokes: Vec<Stroke>, label: String) -> impl IntoView {
    let (w, h) = ASPECT;
    // 2,000 units for each of the aspect's, so x keeps its 10,000 steps.
    let view_box = format!("0 0 {} {}", w * 2000, h * 2000);
    let paths = strokes.iter().map(|stroke| view! { <path d=svg_path(&stroke.points) /> }).collect_view();
    view! {
        <svg class="signature-image" role="img" aria-label=label viewBox=view_box>
            <g fill="none" stroke="currentColor" stroke-width="36" stroke-linecap="round" stroke-linejoin="round">
                {paths}
            </g>
        </svg>
    }
}

fn svg_path(points: &[Point]) -> String {
    let (w, h) = ASPECT;
    let place = |p: &Point| (u32::from(p.x) * w * 2000 / u32::from(PAD_SCALE), u32::from(p.y) * h * 2000 / u32::from(PAD_SCALE));
    let Some((first, rest)) = points.split_first() else { return String::new() };
    let (x, y) = place(first);
    let mut d = format!("M{x} {y}");
    let mut last = (x, y);
    for point in rest {
        let at = place(point);
        d.push_str(&format!("Q{} {} {} {}", last.0, last.1, (last.0 + at.0) / 2, (last.1 + at.1) / 2));
        last = at;
    }
    // To the last point; for a single point, a dot (a round cap on nothing).
    d.push_str(&format!("L{} {}", last.0, last.1));
    d
}
