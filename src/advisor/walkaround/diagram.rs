//! The drawing of the car (SVG): a switch between its six views, and on the one shown every zone a
//! button named after it. This visit's marks are numbered pins on their zone (the zone tinted),
//! the last visit's faded pins.

use super::shapes::{self, Drawing, Shape, HEIGHT, VIEWS, WIDTH};
use crate::fields::{aria, text};
use crate::i18n::{use_i18n, Msg};
use lane_domain::walkaround::{CarView, DamageMark, Zone};
use leptos::prelude::*;

pub fn zone_name(zone: Zone) -> Msg {
    use Zone::*;
    match zone {
        Bonnet => Msg::WalkaroundZoneBonnet,
        Roof => Msg::WalkaroundZoneRoof,
        Boot => Msg::WalkaroundZoneBoot,
        FrontBumper => Msg::WalkaroundZoneFrontBumper,
        Grille => Msg::WalkaroundZoneGrille,
        Windscreen => Msg::WalkaroundZoneWindscreen,
        LeftHeadlight => Msg::WalkaroundZoneLeftHeadlight,
        RightHeadlight => Msg::WalkaroundZoneRightHeadlight,
        RearBumper => Msg::WalkaroundZoneRearBumper,
        RearWindow => Msg::WalkaroundZoneRearWindow,
        LeftTailLight => Msg::WalkaroundZoneLeftTailLight,
        RightTailLight => Msg::WalkaroundZoneRightTailLight,
        LeftFrontWing => Msg::WalkaroundZoneLeftFrontWing,
        LeftFrontDoor => Msg::WalkaroundZoneLeftFrontDoor,
        LeftRearDoor => Msg::WalkaroundZoneLeftRearDoor,
        LeftRearWing => Msg::WalkaroundZoneLeftRearWing,
        LeftSill => Msg::WalkaroundZoneLeftSill,
        LeftMirror => Msg::WalkaroundZoneLeftMirror,
        LeftFrontWheel => Msg::WalkaroundZoneLeftFrontWheel,
        LeftRearWheel => Msg::WalkaroundZoneLeftRearWheel,
        RightFrontWing => Msg::WalkaroundZoneRightFrontWing,
        RightFrontDoor => Msg::WalkaroundZoneRightFrontDoor,
        RightRearDoor => Msg::WalkaroundZoneRightRearDoor,
        RightRearWing => Msg::WalkaroundZoneRightRearWing,
        RightSill => Msg::WalkaroundZoneRightSill,
        RightMirror => Msg::WalkaroundZoneRightMirror,
        RightFrontWheel => Msg::WalkaroundZoneRightFrontWheel,
        RightRearWheel => Msg::WalkaroundZoneRightRearWheel,
        Dashboard => Msg::WalkaroundZoneDashboard,
        SteeringWheel => Msg::WalkaroundZoneSteeringWheel,
        Seats => Msg::WalkaroundZoneSeats,
        Carpets => Msg::WalkaroundZoneCarpets,
        Headliner => Msg::WalkaroundZoneHeadliner,
        DoorTrims => Msg::WalkaroundZoneDoorTrims,
    }
}

fn view_name(view: CarView) -> Msg {
    match view {
        CarView::Top => Msg::WalkaroundViewTop,
        CarView::Front => Msg::WalkaroundViewFront,
        CarView::Rear => Msg::WalkaroundViewRear,
        CarView::Left => Msg::WalkaroundViewLeft,
        CarView::Right => Msg::WalkaroundViewRight,
        CarView::Interior => Msg::WalkaroundViewInterior,
    }
}

/// The view switch and the view `shown`; a tap on a zone calls `on_zone`.
#[component]
pub fn Diagram(
    shown: RwSignal<CarView>,
    #[prop(into)] marks: Signal<Vec<DamageMark>>,
    past: Signal<Vec<DamageMark>>,
    on_zone: Callback<Zone>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tabs = VIEWS
        .into_iter()
        .map(|view| {
            let count = move || marks.with(|marks| marks.iter().filter(|m| m.zone.view() == view).count());
            view! {
                <button type="button" class="view-tab" aria-pressed=aria(move || shown.get() == view) on:click=move |_| shown.set(view)>
                    {i18n.msg(view_name(view))}" "
                    <span class="view-count">{text(move || match count() {
                        0 => String::new(),
                        n => n.to_string(),
                    })}</span>
                </button>
            }
        })
        .collect_view();
    let drawing = move || {
        let view = shown.get();
        let drawing = shapes::drawing(view);
        let zones = drawing.zones.iter().map(|shape| zone_button(shape, marks, on_zone)).collect_view();
        let names = drawing.zones.iter().filter(|shape| shape.named).map(|shape| {
            let (x, y) = shapes::pin(drawing, shape);
            view! { <text class="zone-name" x=x y=y + 28.0 text-anchor="middle" aria-hidden="true">{i18n.msg(zone_name(shape.zone))}</text> }
        });
        view! {
            <svg class="car" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="group" aria-label=i18n.msg(view_name(view))>
                <g transform=drawing.mirrored.then(|| format!("matrix(-1 0 0 1 {WIDTH} 0)"))>
                    {outlines(drawing.body, "car-body")}
                    {zones}
                    {outlines(drawing.details, "car-detail")}
                </g>
                {names.collect_view()}
                {move || pins(drawing, &past.get(), &marks.get())}
            </svg>
        }
    };
    view! {
        <div class="diagram">
            <div class="view-tabs" role="group" aria-label=i18n.msg(Msg::WalkaroundViewLabel)>{tabs}</div>
            {drawing}
        </div>
    }
}

fn outlines(paths: &'static [&'static str], class: &'static str) -> impl IntoView {
    paths.iter().map(|d| view! { <path class=class d=*d /> }).collect_view()
}

/// A zone as a button: a tap, or Enter or Space on the keyboard, opens a new mark on it.
fn zone_button(shape: &'static Shape, marks: Signal<Vec<DamageMark>>, on_zone: Callback<Zone>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = shape.zone;
    let keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            on_zone.run(zone);
        }
    };
    view! {
        <path
            class="zone"
            class:marked=move || marks.with(|marks| marks.iter().any(|m| m.zone == zone))
            d=shape.path
            role="button"
            tabindex="0"
            aria-label=i18n.msg(zone_name(zone))
            on:click=move |_| on_zone.run(zone)
            on:keydown=keydown
        />
    }
}

/// A pin for every mark on the drawing shown: the last visit's first, faded and without a number,
/// then this visit's, numbered as in the list of marks. Pins on one zone stand side by side.
fn pins(drawing: &'static Drawing, past: &[DamageMark], marks: &[DamageMark]) -> impl IntoView {
    let mut on_zone: Vec<Zone> = Vec::new();
    let past = past.iter().map(|mark| (mark, None));
    let current = marks.iter().enumerate().map(|(at, mark)| (mark, Some(at + 1)));
    past.chain(current)
        .filter_map(|(mark, number)| {
            let shape = drawing.zones.iter().find(|shape| shape.zone == mark.zone)?;
            let before = on_zone.iter().filter(|zone| **zone == mark.zone).count();
            on_zone.push(mark.zone);
            let (x, y) = shapes::pin(drawing, shape);
            let x = x + 34.0 * before as f32;
            Some(view! {
                <g class="mark-pin" class:past=number.is_none() transform=format!("translate({x} {y})") aria-hidden="true">
                    <circle r="15" />
                    <text y="6" text-anchor="middle">{number.map(|n| n.to_string())}</text>
                </g>
            })
        })
        .collect_view()
}
