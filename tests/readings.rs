//! The advisor's readings and belongings steps in headless Chromium, each mounted alone with its
//! saved values in signals the test owns, as the visit page owns them: keypad taps, the fuel
//! dial, the domain's rules worded in English, and what reaches the save callbacks.

use lane_app::advisor::belongings::BelongingsStep;
use lane_app::advisor::readings::ReadingsStep;
use lane_app::i18n::provide_i18n;
use lane_domain::readings::{DistanceUnit, DropOffReadings, FuelEighths, Odometer};
use lane_domain::walkaround::{Belongings, KeyTag};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod dom;
use dom::{document, text_of};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in English, so tests see neither each other's DOM nor another language.
fn container() -> web_sys::HtmlElement {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().set_item("lane.language", "\"en\"").unwrap();
    dom::container()
}

/// The element matching `selector` whose accessible name (its `aria-label`, else its text) is `name`.
fn named(root: &web_sys::HtmlElement, selector: &str, name: &str) -> web_sys::Element {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i))
        .map(|node| node.unchecked_into::<web_sys::Element>())
        .find(|e| e.get_attribute("aria-label").or_else(|| e.text_content()).as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no {selector} named {name}"))
}

/// A tap: a click that bubbles, as the browser makes (the app listens once, at the root).
fn tap(element: &web_sys::Element) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    element.dispatch_event(&web_sys::Event::new_with_event_init_dict("click", &init).unwrap()).unwrap();
}

fn tap_button(root: &web_sys::HtmlElement, name: &str) {
    tap(&named(root, "button", name));
}

/// Taps each character on the keypad under the field.
fn type_on_keypad(root: &web_sys::HtmlElement, keys: &str) {
    for key in keys.chars() {
        tap_button(root, &key.to_string());
    }
}

/// Types into a field as a hardware keyboard or a paste would.
fn type_into(root: &web_sys::HtmlElement, id: &str, value: &str) {
    let input: web_sys::HtmlInputElement = root.query_selector(&format!("#{id}")).unwrap().unwrap().unchecked_into();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

fn value_of(root: &web_sys::HtmlElement, id: &str) -> String {
    root.query_selector(&format!("#{id}")).unwrap().unwrap().unchecked_into::<web_sys::HtmlInputElement>().value()
}

const fn km(value: u32) -> Odometer {
    Odometer { value, unit: DistanceUnit::Km }
}

fn fuel(eighths: u8) -> FuelEighths {
    FuelEighths::new(eighths).unwrap()
}

/// The readings step with the car's last known reading; what it saved lands in `saved`, and
/// back in its `readings` prop, as the visit page would do it.
fn mount_readings(last_known: Option<Odometer>) -> (web_sys::HtmlElement, RwSignal<Vec<DropOffReadings>>, impl Drop) {
    let root = container();
    let saved = RwSignal::new(Vec::<DropOffReadings>::new());
    let readings = RwSignal::new(None::<DropOffReadings>);
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        let on_save = move |r: DropOffReadings| {
            saved.update(|all| all.push(r.clone()));
            readings.set(Some(r));
        };
        view! { <ReadingsStep readings last_known=Signal::derive(move || last_known) on_save /> }
    });
    (root, saved, mounted)
}

#[wasm_bindgen_test]
async fn a_reading_typed_on_the_keypad_is_saved() {
    let (root, saved, _mounted) = mount_readings(Some(km(38_120)));
    leptos::task::tick().await;
    assert_eq!(text_of(&root, ".last-known"), "Last known reading: 38,120 km");
    assert_eq!(named(&root, "button", "km").get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(root.query_selector("#readings-odometer").unwrap().unwrap().get_attribute("inputmode").as_deref(), Some("none"));

    // The digits are typing; then one tap on the dial and one on Save.
    type_on_keypad(&root, "38205");
    tap(&named(&root, "[role=radio]", "3/8"));
    tap_button(&root, "Save readings");
    leptos::task::tick().await;

    assert_eq!(value_of(&root, "readings-odometer"), "38205");
    assert_eq!(saved.get_untracked(), vec![DropOffReadings { odometer: km(38_205), fuel: fuel(3), correction_reason: None }]);
    assert_eq!(text_of(&root, ".readings [role=status]"), "Readings saved.");

    // The dash in miles: one more tap, and the form is no longer what was saved.
    tap_button(&root, "miles");
    leptos::task::tick().await;
    assert_eq!(text_of(&root, ".readings [role=status]"), "");
}

#[wasm_bindgen_test]
async fn a_reading_below_the_last_known_needs_a_reason() {
    let (root, saved, _mounted) = mount_readings(Some(km(38_120)));
    leptos::task::tick().await;
    let reason_box = || root.query_selector("#readings-reason").unwrap().unwrap().parent_element().unwrap().parent_element().unwrap();
    assert!(reason_box().has_attribute("hidden"), "no reason is asked for before a lower reading");

    type_on_keypad(&root, "38000");
    tap(&named(&root, "[role=radio]", "F (full)"));
    tap_button(&root, "Save readings");
    leptos::task::tick().await;
    assert!(saved.get_untracked().is_empty());
    assert_eq!(
        text_of(&root, "#readings-odometer-error"),
        "The odometer reads 38,000 km but this car last showed 38,120 km. Check the reading, or give a reason for the correction (such as a replaced instrument cluster)."
    );
    assert_eq!(root.query_selector("#readings-odometer").unwrap().unwrap().get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(!reason_box().has_attribute("hidden"));

    type_into(&root, "readings-reason", "   ");
    tap_button(&root, "Save readings");
    leptos::task::tick().await;
    assert!(saved.get_untracked().is_empty(), "a blank reason is no reason");

    type_into(&root, "readings-reason", "Instrument cluster replaced");
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "#readings-odometer-error"), "");
    tap_button(&root, "Save readings");
    leptos::task::tick().await;
    let reason = Some("Instrument cluster replaced".to_owned());
    assert_eq!(saved.get_untracked(), vec![DropOffReadings { odometer: km(38_000), fuel: fuel(8), correction_reason: reason }]);
}

#[wasm_bindgen_test]
async fn an_empty_odometer_and_an_unset_gauge_are_named() {
    let (root, saved, _mounted) = mount_readings(None);
    leptos::task::tick().await;
    assert_eq!(text_of(&root, ".last-known"), "No earlier reading of this car.");
    assert_eq!(text_of(&root, ".fuel-value"), "Fuel: not set yet");
    tap_button(&root, "Save readings");
    leptos::task::tick().await;
    assert!(saved.get_untracked().is_empty());
    assert_eq!(text_of(&root, "#readings-odometer-error"), "Type the odometer reading shown on the dash.");
    assert_eq!(text_of(&root, "#fuel-error"), "Set the fuel gauge: tap the dial where the needle points.");

    // With no last known reading any reading goes, and the reason field stays away.
    type_on_keypad(&root, "12");
    tap(&named(&root, "[role=radio]", "E (empty)"));
    tap_button(&root, "Save readings");
    leptos::task::tick().await;
    assert_eq!(saved.get_untracked(), vec![DropOffReadings { odometer: km(12), fuel: fuel(0), correction_reason: None }]);
}

#[wasm_bindgen_test]
async fn one_tap_on_the_dial_sets_the_fuel_and_the_arrows_move_it() {
    let (root, _saved, _mounted) = mount_readings(None);
    leptos::task::tick().await;
    let dial = root.query_selector("[role=radiogroup]").unwrap().unwrap();
    assert_eq!(dial.query_selector_all("[role=radio]").unwrap().length(), 9);
    let checked = |name| named(&root, "[role=radio]", name).get_attribute("aria-checked");

    tap(&named(&root, "[role=radio]", "5/8"));
    leptos::task::tick().await;
    assert_eq!(checked("5/8").as_deref(), Some("true"));
    assert_eq!(checked("4/8").as_deref(), Some("false"));
    assert_eq!(text_of(&root, ".fuel-value"), "Fuel: 5/8");
    assert_eq!(named(&root, "[role=radio]", "5/8").get_attribute("tabindex").as_deref(), Some("0"));

    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowRight");
    init.set_bubbles(true);
    named(&root, "[role=radio]", "5/8").dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(text_of(&root, ".fuel-value"), "Fuel: 6/8");
    assert_eq!(document().active_element().and_then(|e| e.get_attribute("aria-label")).as_deref(), Some("6/8"));
}

/// The belongings step; what it saves lands in the lists and back in its props.
fn mount_belongings() -> (web_sys::HtmlElement, RwSignal<Vec<Belongings>>, RwSignal<Vec<Option<KeyTag>>>, impl Drop) {
    let root = container();
    let (lists, tags) = (RwSignal::new(Vec::<Belongings>::new()), RwSignal::new(Vec::<Option<KeyTag>>::new()));
    let (belongings, key_tag) = (RwSignal::new(Belongings::default()), RwSignal::new(None::<KeyTag>));
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        let on_save_belongings = move |b: Belongings| {
            lists.update(|all| all.push(b.clone()));
            belongings.set(b);
        };
        let on_save_key_tag = move |t: Option<KeyTag>| {
            tags.update(|all| all.push(t.clone()));
            key_tag.set(t);
        };
        view! { <BelongingsStep belongings key_tag on_save_belongings on_save_key_tag /> }
    });
    (root, lists, tags, mounted)
}

#[wasm_bindgen_test]
async fn quick_added_items_and_the_reminder_are_saved() {
    let (root, lists, _tags, _mounted) = mount_belongings();
    leptos::task::tick().await;
    assert_eq!(text_of(&root, ".belongings p:not(.error)"), "Nothing listed.");

    tap_button(&root, "Phone charger");
    tap_button(&root, "Child seat");
    leptos::task::tick().await;
    assert_eq!(named(&root, "button", "Phone charger").get_attribute("aria-pressed").as_deref(), Some("true"));
    let reminder: web_sys::HtmlElement = named(&root, "label", "Customer reminded to take valuables").query_selector("input").unwrap().unwrap().unchecked_into();
    reminder.click();
    leptos::task::tick().await;
    let both = Belongings { items: vec!["Phone charger".into(), "Child seat".into()], valuables_reminder_confirmed: true };
    assert_eq!(lists.get_untracked().last(), Some(&both));
    assert_eq!(lists.get_untracked().len(), 3, "each tap saves");

    // A free item, then one taken off the list, then a quick item tapped off again.
    type_into(&root, "belongings-item", "  Dashcam memory card ");
    tap_button(&root, "Add item");
    leptos::task::tick().await;
    assert_eq!(value_of(&root, "belongings-item"), "");
    tap_button(&root, "Remove Child seat");
    tap_button(&root, "Phone charger");
    leptos::task::tick().await;
    let left = Belongings { items: vec!["Dashcam memory card".into()], valuables_reminder_confirmed: true };
    assert_eq!(lists.get_untracked().last(), Some(&left));
    assert_eq!(text_of(&root, ".items"), "Dashcam memory card✕");
}

#[wasm_bindgen_test]
async fn an_undescribed_or_overlong_item_is_refused_with_the_reason() {
    let (root, lists, _tags, _mounted) = mount_belongings();
    leptos::task::tick().await;
    tap_button(&root, "Add item");
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "#belongings-item-error"), "Describe the item before adding it.");
    type_into(&root, "belongings-item", &"x".repeat(101));
    tap_button(&root, "Add item");
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "#belongings-item-error"), "Describe an item in at most 100 characters; this is 101.");
    assert!(lists.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn a_bad_key_tag_shows_the_error_and_a_good_one_is_saved() {
    let (root, _lists, tags, _mounted) = mount_belongings();
    leptos::task::tick().await;
    tap_button(&root, "Save key tag");
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "#belongings-key-tag-error"), "Type the number on the key tag: 1 to 8 letters or digits.");

    type_into(&root, "belongings-key-tag", "A-1");
    tap_button(&root, "Save key tag");
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "#belongings-key-tag-error"), "A key tag has letters and digits only; “-” is not one.");
    type_into(&root, "belongings-key-tag", "A123456789");
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "#belongings-key-tag-error"), "A key tag has 1 to 8 letters or digits; this one has 10.");
    assert!(tags.get_untracked().is_empty());

    type_into(&root, "belongings-key-tag", "");
    type_on_keypad(&root, "B17");
    tap_button(&root, "Save key tag");
    leptos::task::tick().await;
    assert_eq!(tags.get_untracked(), vec![Some(KeyTag::parse("B17").unwrap())]);
    assert_eq!(text_of(&root, "#belongings-key-tag-error"), "");
    assert_eq!(text_of(&root, ".key-tag-entry [role=status]"), "Key tag saved.");
}
