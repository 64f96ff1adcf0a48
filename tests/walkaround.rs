//! The walk-around step in headless Chromium, with the app's stylesheet: marks made by tapping a
//! zone, a kind and a severity; the last visit's marks faded and never saved again; All OK; the
//! warning lights; and every zone of every view a 48 px target that a tap at its middle hits.

use lane_app::advisor::walkaround::WalkaroundStep;
use lane_app::i18n::provide_i18n;
use lane_domain::ids::DamageMarkId;
use lane_domain::walkaround::{CheckOutcome, ChecklistItem, ChecklistResult, DamageKind, DamageMark, Note, Severity, Walkaround, WarningLight, Zone};
use leptos::prelude::*;
use std::any::Any;
use std::sync::{Arc, Mutex};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod dom;
use dom::document;

wasm_bindgen_test_configure!(run_in_browser);

/// The step mounted in a fresh container, in English, with the app's stylesheet. Each save is
/// recorded and, as the visit page does, handed back as the saved walk-around (`saved`), at once
/// unless `echo` is off.
struct Mounted {
    root: web_sys::HtmlElement,
    saves: Arc<Mutex<Vec<Walkaround>>>,
    saved: RwSignal<Walkaround>,
    _handle: Box<dyn Any>,
}

impl Mounted {
    fn last_save(&self) -> Option<Walkaround> {
        self.saves.lock().unwrap().last().cloned()
    }

    fn save_count(&self) -> usize {
        self.saves.lock().unwrap().len()
    }

    fn find(&self, selector: &str) -> web_sys::Element {
        self.root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"))
    }

    fn all(&self, selector: &str) -> Vec<web_sys::Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).filter_map(|i| list.item(i)).map(|node| node.unchecked_into()).collect()
    }

    fn button(&self, name: &str) -> web_sys::Element {
        self.all("button").into_iter().find(|b| b.text_content().unwrap_or_default().trim() == name).unwrap_or_else(|| panic!("no button named {name}"))
    }

    fn zone(&self, name: &str) -> web_sys::Element {
        self.find(&format!("svg.car [role=button][aria-label='{name}']"))
    }
}

fn mount(walkaround: Walkaround, past: Vec<DamageMark>) -> Mounted {
    mount_echoing(walkaround, past, true)
}

fn mount_echoing(walkaround: Walkaround, past: Vec<DamageMark>, echo: bool) -> Mounted {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().set_item("lane.language", "\"en\"").unwrap();
    if document().get_element_by_id("app-style").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("app-style");
        style.set_text_content(Some(include_str!("../style/main.css")));
        document().head().unwrap().append_child(&style).unwrap();
    }
    let root: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let saves = Arc::new(Mutex::new(Vec::new()));
    let recorded = saves.clone();
    let saved = RwSignal::new(walkaround);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        let on_save = Callback::new(move |sheet: Walkaround| {
            recorded.lock().unwrap().push(sheet.clone());
            if echo {
                saved.set(sheet);
            }
        });
        view! { <WalkaroundStep walkaround=saved past_marks=Signal::stored(past) on_save /> }
    });
    Mounted { root, saves, saved, _handle: Box::new(handle) }
}

/// A click as a finger's tap makes it: bubbling, so that Leptos's delegated handlers hear it
/// (an SVG shape has no `click()`).
async fn tap(element: &web_sys::Element) {
    fire(element, "click").await;
}

async fn fire(element: &web_sys::Element, name: &str) {
    let event = document().create_event("Event").unwrap();
    event.init_event_with_bubbles(name, true);
    element.dispatch_event(&event).unwrap();
    leptos::task::tick().await;
}

fn note(text: &str) -> Note {
    Note::parse(text).unwrap()
}

fn worn_tyres() -> ChecklistResult {
    ChecklistResult { item: ChecklistItem::Tyres, outcome: CheckOutcome::Attention, note: note("front left worn") }
}

#[wasm_bindgen_test]
async fn a_zone_a_kind_and_a_severity_make_a_mark() {
    let sheet = Walkaround { checklist: vec![worn_tyres()], ..Walkaround::default() };
    let step = mount(sheet, Vec::new());
    leptos::task::tick().await;

    tap(&step.zone("Left front door")).await;
    assert_eq!(step.find("#mark-editor-title").text_content().unwrap(), "New mark: Left front door");
    tap(&step.button("Dent")).await;
    assert_eq!(step.save_count(), 0, "nothing is saved before the severity");
    tap(&step.button("Moderate")).await;

    let saved = step.last_save().expect("the third tap saves the mark");
    assert_eq!(step.save_count(), 1);
    assert_eq!(saved.marks.len(), 1);
    let mark = &saved.marks[0];
    assert_eq!((mark.zone, mark.kind, mark.severity), (Zone::LeftFrontDoor, DamageKind::Dent, Severity::Moderate));
    assert_eq!((mark.note.as_str(), mark.photos.len()), ("", 0));
    assert_eq!(saved.checklist, vec![worn_tyres()], "the rest of the sheet is kept");
    assert_eq!(step.find("#mark-editor-title").text_content().unwrap(), "Mark 1: Left front door");
    assert_eq!(step.find(".mark-pin:not(.past) text").text_content().unwrap(), "1");
    assert!(step.zone("Left front door").get_attribute("class").unwrap().contains("marked"));
    assert!(step.all(".mark-entry").iter().any(|b| b.text_content().unwrap() == "1. Left front door: Dent, Moderate"));

    // A note is saved when the advisor leaves the field; a second kind replaces the first.
    let field = step.find("#mark-note");
    js_sys::Reflect::set(&field, &"value".into(), &"  under the handle ".into()).unwrap();
    fire(&field, "change").await;
    tap(&step.button("Scratch")).await;
    let saved = step.last_save().unwrap();
    assert_eq!(saved.marks.len(), 1);
    assert_eq!((saved.marks[0].kind, saved.marks[0].note.as_str()), (DamageKind::Scratch, "under the handle"));

    // A second mark on another view, then the first removed.
    tap(&step.button("Right side")).await;
    tap(&step.zone("Right mirror")).await;
    tap(&step.button("Severe")).await;
    tap(&step.button("Crack")).await;
    let saved = step.last_save().unwrap();
    assert_eq!(saved.marks.iter().map(|m| (m.zone, m.kind, m.severity)).collect::<Vec<_>>(), [
        (Zone::LeftFrontDoor, DamageKind::Scratch, Severity::Moderate),
        (Zone::RightMirror, DamageKind::Crack, Severity::Severe),
    ]);
    assert_eq!(step.button("Left side 1").get_attribute("aria-pressed").as_deref(), Some("false"));
    tap(&step.button("1. Left front door: Scratch, Moderate")).await;
    assert_eq!(step.find("#mark-editor-title").text_content().unwrap(), "Mark 1: Left front door");
    tap(&step.button("Remove mark")).await;
    let saved = step.last_save().unwrap();
    assert_eq!(saved.marks.iter().map(|m| m.zone).collect::<Vec<_>>(), [Zone::RightMirror]);
    assert!(step.find(".mark-editor").has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn the_last_visits_marks_are_faded_and_not_saved_again() {
    let past = DamageMark {
        id: DamageMarkId::parse("past-1").unwrap(),
        zone: Zone::LeftRearDoor,
        kind: DamageKind::Scratch,
        severity: Severity::Minor,
        note: note(""),
        photos: Vec::new(),
    };
    let step = mount(Walkaround::default(), vec![past]);
    leptos::task::tick().await;

    assert_eq!(step.all(".mark-pin.past").len(), 1, "the last visit's mark is pinned, faded");
    assert!(step.all(".mark-pin:not(.past)").is_empty());
    assert!(!step.zone("Left rear door").get_attribute("class").unwrap().contains("marked"), "only this visit's marks tint their zone");
    assert_eq!(step.find(".past-marks li").text_content().unwrap(), "Left rear door: Scratch, Minor");
    assert_eq!(step.find(".mark-idle").text_content().unwrap(), "Tap a panel on the drawing to mark damage.");

    tap(&step.zone("Left rear door")).await;
    tap(&step.button("Chip")).await;
    tap(&step.button("Minor")).await;
    let saved = step.last_save().unwrap();
    assert_eq!(saved.marks.len(), 1);
    assert_ne!(saved.marks[0].id.as_str(), "past-1");
    assert_eq!(saved.marks[0].kind, DamageKind::Chip);
    assert_eq!(step.all(".mark-pin.past").len(), 1);
    assert_eq!(step.all(".mark-pin:not(.past)").len(), 1);
}

#[wasm_bindgen_test]
async fn all_ok_fills_the_checklist_in_one_tap() {
    // A clean car: one tap answers the whole checklist.
    let step = mount(Walkaround::default(), Vec::new());
    leptos::task::tick().await;
    tap(&step.button("All OK")).await;
    assert_eq!(step.save_count(), 1);
    let saved = step.last_save().unwrap();
    assert_eq!(saved.checklist.iter().map(|r| r.item).collect::<Vec<_>>(), ChecklistItem::ALL);
    assert!(saved.checklist.iter().all(|r| r.outcome == CheckOutcome::Ok));
    assert!(saved.marks.is_empty() && saved.warning_lights.is_empty());
    assert_eq!(step.find("[aria-labelledby='check-Wipers'] [aria-pressed=true]").text_content().unwrap(), "OK");
    assert_eq!(step.button("None lit").get_attribute("aria-pressed").as_deref(), Some("true"));

    // Answers already given stay; Attention takes a note.
    let step = mount(Walkaround { checklist: vec![worn_tyres()], ..Walkaround::default() }, Vec::new());
    leptos::task::tick().await;
    assert!(!step.find(".check-note:has(#check-note-Tyres)").has_attribute("hidden"));
    assert!(step.find(".check-note:has(#check-note-Battery)").has_attribute("hidden"));
    tap(&step.button("All OK")).await;
    let saved = step.last_save().unwrap();
    assert_eq!(saved.checklist.len(), ChecklistItem::ALL.len());
    assert_eq!(saved.checklist[0], worn_tyres());

    let battery = step.find("[aria-labelledby='check-Battery']");
    let attention = battery.query_selector("button:nth-child(2)").unwrap().unwrap();
    tap(&attention).await;
    let field = step.find("#check-note-Battery");
    js_sys::Reflect::set(&field, &"value".into(), &"terminals corroded".into()).unwrap();
    fire(&field, "change").await;
    let saved = step.last_save().unwrap();
    let battery = saved.checklist.iter().find(|r| r.item == ChecklistItem::Battery).unwrap();
    assert_eq!((battery.outcome, battery.note.as_str()), (CheckOutcome::Attention, "terminals corroded"));

    // A note too long is refused in the field, and nothing is saved.
    let saves = step.save_count();
    js_sys::Reflect::set(&field, &"value".into(), &"x".repeat(501).into()).unwrap();
    fire(&field, "change").await;
    assert_eq!(step.save_count(), saves);
    assert_eq!(step.find("#check-note-Battery-error").text_content().unwrap(), "This note is too long (501 characters). Shorten it.");
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn warning_lights_toggle() {
    let step = mount(Walkaround::default(), Vec::new());
    leptos::task::tick().await;
    let light = step.button("Tyre pressure");
    assert_eq!(light.get_attribute("aria-pressed").as_deref(), Some("false"));
    tap(&light).await;
    tap(&step.button("Check engine")).await;
    assert_eq!(step.last_save().unwrap().warning_lights, [WarningLight::CheckEngine, WarningLight::TyrePressure]);
    assert_eq!(light.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(step.button("None lit").get_attribute("aria-pressed").as_deref(), Some("false"));
    tap(&light).await;
    assert_eq!(step.last_save().unwrap().warning_lights, [WarningLight::CheckEngine]);
    tap(&step.button("None lit")).await;
    assert!(step.last_save().unwrap().warning_lights.is_empty());
    assert_eq!(step.all(".lights button").len(), 17);
}

#[wasm_bindgen_test]
async fn a_late_echo_does_not_undo_a_newer_edit_but_another_devices_edit_shows() {
    let step = mount_echoing(Walkaround::default(), Vec::new(), false);
    leptos::task::tick().await;
    let pressed = |name: &str| step.button(name).get_attribute("aria-pressed").as_deref() == Some("true");
    tap(&step.button("Tyre pressure")).await;
    tap(&step.button("Check engine")).await;
    let saves = step.saves.lock().unwrap().clone();
    assert_eq!(saves.len(), 2);
    assert_eq!(saves[1].warning_lights, [WarningLight::CheckEngine, WarningLight::TyrePressure], "the second edit builds on the first");

    // The first save, stored, comes back after the second edit was made.
    step.saved.set(saves[0].clone());
    leptos::task::tick().await;
    assert!(pressed("Check engine") && pressed("Tyre pressure"));
    step.saved.set(saves[1].clone());
    leptos::task::tick().await;
    assert!(pressed("Check engine") && pressed("Tyre pressure"));

    // Another device's walk-around, pulled, replaces this one.
    step.saved.set(Walkaround { warning_lights: vec![WarningLight::Brake], ..Walkaround::default() });
    leptos::task::tick().await;
    assert!(pressed("Brake system") && !pressed("Check engine") && !pressed("Tyre pressure"));
    tap(&step.button("Airbag")).await;
    assert_eq!(step.last_save().unwrap().warning_lights, [WarningLight::Brake, WarningLight::Airbag]);
}

#[wasm_bindgen_test]
async fn every_zone_is_a_48_px_target_that_a_tap_at_its_middle_hits() {
    let step = mount(Walkaround::default(), Vec::new());
    // The narrowest the drawing is shown (its CSS minimum), on top of the page, the drawing at the
    // top of the window.
    let place = |top: f64| {
        let style = format!("position: fixed; left: 0; top: {top}px; width: 600px; background: white; z-index: 100");
        step.root.set_attribute("style", &style).unwrap();
    };
    place(0.0);
    leptos::task::tick().await;
    let mut zones = Vec::new();
    for view in ["Left side", "Top", "Right side", "Front", "Rear", "Interior"] {
        tap(&step.button(view)).await;
        place(-step.find("svg.car").get_bounding_client_rect().top());
        for zone in step.all("svg.car [role=button]") {
            let name = zone.get_attribute("aria-label").unwrap();
            let box_ = zone.get_bounding_client_rect();
            // 56 at the narrowest, so that a drawing shrunk a little still has 48 px targets.
            assert!(box_.width() >= 56.0 && box_.height() >= 56.0, "{name} is {}x{}", box_.width(), box_.height());
            let (x, y) = (box_.left() + box_.width() / 2.0, box_.top() + box_.height() / 2.0);
            let hit = document().element_from_point(x as f32, y as f32).unwrap_or_else(|| panic!("nothing at the middle of {name}"));
            assert!(hit.is_same_node(Some(&zone)), "a tap at the middle of {name} hits {:?}", hit.get_attribute("aria-label"));
            assert_eq!(zone.get_attribute("tabindex").as_deref(), Some("0"));
            zones.push(name);
        }
        place(0.0);
    }
    zones.sort();
    zones.dedup();
    assert_eq!(zones.len(), 34, "every zone is on a drawing, once");
}
