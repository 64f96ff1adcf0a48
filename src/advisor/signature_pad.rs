//! The signature pad and the signature's image (DOMAIN.md steps 4, 5, 7, 11). The pad draws on a
//! canvas imperatively, point by point, and hands the strokes to its signal only at pen-up, Clear
//! and Undo: a signal per point would re-run the reactive graph at the pen's 240 Hz. It reads
//! every sample of the pen (`getCoalescedEvents`), not one a frame, and keeps them all: the
//! domain's compact form makes them cheap to store.

use crate::i18n::{use_i18n, Msg};
use lane_domain::signature::{Point, Stroke, PAD_SCALE};
use leptos::html::Canvas;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent, ResizeObserver};

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
            let Some(pad) = Pad::new(canvas.clone()) else { return };
            *state.borrow_mut() = Some(pad);
            // Also called once when observing starts: the first sizing.
            let resized = Closure::<dyn FnMut()>::new(move || {
                if let Some(pad) = state.borrow_mut().as_mut() {
                    pad.resize();
                    strokes.with_untracked(|s| pad.redraw(s));
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

/// The canvas and the stroke being drawn.
struct Pad {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    /// The drawing area's place on the page in CSS pixels, read at each pen-down (layout is not
    /// read per sample): left, top, width, height.
    rect: [f64; 4],
    /// The pointer drawing, and whether it reports pressure (a pen; a mouse or most fingers report
    /// a fixed 0.5, which is no information).
    pointer: Option<(i32, bool)>,
    /// `timeStamp` of the first pen-down: points' `t` count from it.
    origin: f64,
    current: Vec<Point>,
    pen: Pen,
    /// How many of the signal's strokes the canvas shows.
    drawn: usize,
}

impl Pad {
    fn new(canvas: HtmlCanvasElement) -> Option<Pad> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Pad { canvas, context, rect: [0.0, 0.0, 1.0, 1.0], pointer: None, origin: 0.0, current: Vec::new(), pen: Pen::default(), drawn: 0 })
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

    /// Gives the canvas a pixel for each of the screen's (`devicePixelRatio`), and draws in CSS
    /// pixels on it. Resizing clears the canvas and its drawing settings.
    fn resize(&mut self) {
        self.measure();
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        self.canvas.set_width((self.rect[2] * ratio).round() as u32);
        self.canvas.set_height((self.rect[3] * ratio).round() as u32);
        let c = &self.context;
        let _ = c.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
        c.set_line_cap("round");
        c.set_line_join("round");
        c.set_stroke_style_str("#111827");
        c.set_fill_style_str("#111827");
    }

    fn redraw(&mut self, strokes: &[Stroke]) {
        self.context.clear_rect(0.0, 0.0, self.rect[2], self.rect[3]);
        for points in strokes.iter().map(|s| &s.points[..]).chain([&self.current[..]]) {
            if let Some((first, rest)) = points.split_first() {
                self.pen.start(&self.context, self.place(first), first, self.rect[2]);
                for point in rest {
                    self.pen.begin(&self.context);
                    let width = self.pen.piece(&self.context, self.place(point), point, self.rect[2]);
                    self.context.set_line_width(width);
                    self.context.stroke();
                }
                self.pen.end(&self.context);
            }
        }
        self.drawn = strokes.len();
    }

    /// Where a point is on the canvas, in CSS pixels.
    fn place(&self, point: &Point) -> (f64, f64) {
        let scale = f64::from(PAD_SCALE);
        (f64::from(point.x) / scale * self.rect[2], f64::from(point.y) / scale * self.rect[3])
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
        self.pen.start(&self.context, self.place(&point), &point, self.rect[2]);
        self.current = vec![point];
    }

    fn moved(&mut self, ev: &PointerEvent) {
        let Some((id, pressured)) = self.pointer else { return };
        if ev.pointer_id() != id {
            return;
        }
        // Every sample since the last event (a script's event has none but itself), drawn as one
        // path of their average width: one stroke a frame, not one a sample.
        let samples = ev.get_coalesced_events();
        self.pen.begin(&self.context);
        let mut widths = 0.0;
        let mut add = |sample: &Sample| {
            let point = self.point(sample, pressured);
            widths += self.pen.piece(&self.context, self.place(&point), &point, self.rect[2]);
            self.current.push(point);
        };
        let count = samples.length().max(1);
        if samples.length() == 0 {
            add(ev.unchecked_ref());
        } else {
            samples.for_each(&mut |sample, _, _| add(sample.unchecked_ref()));
        }
        self.context.set_line_width(widths / f64::from(count));
        self.context.stroke();
    }

    /// The finished stroke, if this pointer was drawing.
    fn up(&mut self, ev: &PointerEvent) -> Option<Stroke> {
        if self.pointer.is_none_or(|(id, _)| id != ev.pointer_id()) {
            return None;
        }
        self.pointer = None;
        self.pen.end(&self.context);
        self.drawn += 1;
        Some(Stroke { points: std::mem::take(&mut self.current) })
    }
}

/// Draws a stroke piece by piece as the samples come: quadratic curves from midpoint to midpoint
/// with the sample as control point (smooth, no corner at each sample), as wide as the pressure,
/// or the speed, gives: a fast line is thin, as with ink.
#[derive(Default)]
struct Pen {
    last: (f64, f64),
    mid: (f64, f64),
    t: u32,
    /// CSS pixels a millisecond, smoothed, so that one jittery sample does not jump the width.
    speed: f64,
    width: f64,
}

impl Pen {
    fn start(&mut self, c: &CanvasRenderingContext2d, at: (f64, f64), point: &Point, size: f64) {
        *self = Pen { last: at, mid: at, t: point.t, speed: 0.0, width: width(point, 0.0, size) };
        // A dot, so that a tap shows.
        c.begin_path();
        let _ = c.arc(at.0, at.1, self.width / 2.0, 0.0, std::f64::consts::TAU);
        c.fill();
    }

    /// Starts a path where the pen is, for the `piece`s to add and stroke.
    fn begin(&self, c: &CanvasRenderingContext2d) {
        c.begin_path();
        c.move_to(self.mid.0, self.mid.1);
    }

    /// Adds the piece to `point` to the path; its width.
    fn piece(&mut self, c: &CanvasRenderingContext2d, at: (f64, f64), point: &Point, size: f64) -> f64 {
        let elapsed = f64::from(point.t.saturating_sub(self.t).max(1));
        let distance = (at.0 - self.last.0).hypot(at.1 - self.last.1);
        self.speed = 0.7 * self.speed + 0.3 * distance / elapsed;
        let width = width(point, self.speed, size);
        let mid = ((self.last.0 + at.0) / 2.0, (self.last.1 + at.1) / 2.0);
        c.quadratic_curve_to(self.last.0, self.last.1, mid.0, mid.1);
        let piece = (self.width + width) / 2.0;
        *self = Pen { last: at, mid, t: point.t, speed: self.speed, width };
        piece
    }

    /// The last half-piece, to the pen-up.
    fn end(&self, c: &CanvasRenderingContext2d) {
        self.begin(c);
        c.line_to(self.last.0, self.last.1);
        c.set_line_width(self.width);
        c.stroke();
    }
}

/// The line's width in CSS pixels on a pad `size` pixels wide.
fn width(point: &Point, speed: f64, size: f64) -> f64 {
    let (thin, thick) = (size * 0.0015, size * 0.006);
    if point.pressure > 0 {
        thin + (thick - thin) * f64::from(point.pressure) / 255.0
    } else {
        (thick / (1.0 + speed)).max(thin)
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
