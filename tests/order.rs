//! The repair order step in a real browser (headless Chromium through wasm-bindgen-test-runner):
//! lines from the catalogue and typed ones reach the save callback with the derived estimate and
//! promised time, a customer-supplied part shows its notice, a line without a description or with
//! a price of too many decimals is refused in the advisor's language and saves nothing, and the
//! booked services are offered on an empty order.

use chrono::{DateTime, Duration, TimeZone, Utc};
use lane_app::advisor::order::OrderStep;
use lane_app::i18n::provide_i18n;
use lane_domain::catalogue::{LocalizedText, ServiceType};
use lane_domain::ids::ServiceTypeId;
use lane_domain::jobs::{Estimate, JobItem, JobLine, PartSource};
use lane_domain::{Currency, Money};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

mod dom;
use dom::{button_named, document};

wasm_bindgen_test_configure!(run_in_browser);

fn oil() -> ServiceType {
    ServiceType {
        id: ServiceTypeId::parse("oil").unwrap(),
        code: "M1".into(),
        names: LocalizedText { en: "Oil service".into(), zh_cn: "机油保养".into(), ko: "엔진오일 교환".into() },
        duration_minutes: 45,
        price: Money::new(48_000, Currency::Cny),
    }
}

fn checked_in() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 1, 7, 30).unwrap()
}

/// What the step saved, as the visit page would keep it.
#[derive(Clone, Copy)]
struct Saved {
    lines: RwSignal<Vec<JobLine>>,
    line_saves: RwSignal<u32>,
    estimate: RwSignal<Option<Estimate>>,
    promised: RwSignal<Option<DateTime<Utc>>>,
}

/// The step on an empty order, in English, in a fresh container.
async fn mount() -> (web_sys::HtmlElement, Saved, Box<dyn std::any::Any>) {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().set_item("lane.language", "\"en\"").unwrap();
    let root: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let saved = StoredValue::new_local(None::<Saved>);
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        let s = Saved { lines: RwSignal::new(Vec::new()), line_saves: RwSignal::new(0), estimate: RwSignal::new(None), promised: RwSignal::new(None) };
        saved.set_value(Some(s));
        view! {
            <OrderStep
                catalogue=Signal::stored(vec![oil()])
                lines=s.lines
                estimate=s.estimate
                promised_at=s.promised
                booked=Signal::stored(vec![oil().id])
                checked_in_at=checked_in()
                on_save_lines=Callback::new(move |lines| {
                    s.lines.set(lines);
                    s.line_saves.update(|n| *n += 1);
                })
                on_save_estimate=Callback::new(move |estimate| s.estimate.set(Some(estimate)))
                on_save_promised=Callback::new(move |at| s.promised.set(at))
            />
        }
    });
    leptos::task::tick().await;
    (root, saved.get_value().unwrap(), Box::new(mounted))
}

fn element(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
}

/// Types `value` into the field as a person would: the value changes, then `input` and `change`.
fn type_into(root: &web_sys::HtmlElement, selector: &str, value: &str) {
    let field = element(root, selector);
    js_sys::Reflect::set(&field, &JsValue::from_str("value"), &JsValue::from_str(value)).unwrap();
    for kind in ["input", "change"] {
        field.dispatch_event(&web_sys::Event::new(kind).unwrap()).unwrap();
    }
}

#[wasm_bindgen_test]
async fn catalogue_and_free_lines_are_saved_with_the_derived_estimate_and_promise() {
    let (root, saved, _mounted) = mount().await;
    assert_eq!(element(&root, ".services button").get_attribute("aria-pressed").as_deref(), Some("false"));

    element(&root, ".services button").click();
    leptos::task::tick().await;
    let lines = saved.lines.get_untracked();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].service_type, Some(oil().id));
    assert_eq!((lines[0].description.as_str(), lines[0].unit_price), ("Oil service", oil().price));
    assert_eq!(element(&root, ".services button").get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(saved.estimate.get_untracked(), Some(Estimate { cost: oil().price, minutes: 45, margin_percent: 10 }));
    // 45 minutes and 10% is at most 50 minutes: 01:57:30, promised at the next quarter hour.
    assert_eq!(saved.promised.get_untracked(), Some(Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap()));

    type_into(&root, "#order-description", "Wiper blades");
    button_named(&root, "Part supplied by the customer").click();
    type_into(&root, "#order-quantity", "2");
    type_into(&root, "#order-unit-price", "35.5");
    button_named(&root, "Add line").click();
    leptos::task::tick().await;
    let lines = saved.lines.get_untracked();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].service_type, Some(oil().id));
    let wipers = &lines[1];
    assert_eq!(wipers.description, "Wiper blades");
    assert_eq!(wipers.item, JobItem::Part { source: PartSource::CustomerSupplied });
    assert_eq!((wipers.quantity_milli, wipers.unit_price), (2000, Money::new(3550, Currency::Cny)));
    assert_eq!(wipers.service_type, None);
    assert_eq!(saved.line_saves.get_untracked(), 2);
    assert_eq!(saved.estimate.get_untracked().unwrap().cost, Money::new(48_000 + 7_100, Currency::Cny));
    let listed = element(&root, ".order-lines").text_content().unwrap();
    assert!(listed.contains("the dealership gives no quality guarantee on it"), "{listed}");

    type_into(&root, "#order-margin", "20");
    leptos::task::tick().await;
    assert_eq!(saved.estimate.get_untracked().unwrap().margin_percent, 20);
    let promised = saved.promised.get_untracked().unwrap();
    button_named(&root, "15 min later").click();
    leptos::task::tick().await;
    assert_eq!(saved.promised.get_untracked(), Some(promised + Duration::minutes(15)));
}

#[wasm_bindgen_test]
async fn a_refused_line_saves_nothing_and_the_booked_services_are_offered() {
    let (root, saved, _mounted) = mount().await;
    type_into(&root, "#order-description", "   ");
    type_into(&root, "#order-unit-price", "120");
    button_named(&root, "Add line").click();
    leptos::task::tick().await;
    assert_eq!(element(&root, "#order-description-error").text_content().as_deref(), Some("Describe the job."));
    assert_eq!(saved.line_saves.get_untracked(), 0);
    assert_eq!(saved.estimate.get_untracked(), None);

    type_into(&root, "#order-description", "Brake fluid");
    type_into(&root, "#order-unit-price", "1.005");
    button_named(&root, "Add line").click();
    leptos::task::tick().await;
    assert_eq!(element(&root, "#order-unit-price-error").text_content().as_deref(), Some("Type at most 2 decimals."));
    assert_eq!(saved.line_saves.get_untracked(), 0);

    // The booked services are offered while the order is empty: one tap adds them all.
    button_named(&root, "Add the booked services: Oil service").click();
    leptos::task::tick().await;
    assert_eq!(saved.lines.get_untracked().iter().map(|l| l.service_type.clone()).collect::<Vec<_>>(), vec![Some(oil().id)]);
    assert_eq!(element(&root, ".order-total").text_content().as_deref(), Some("Total: ¥480"));
    assert!(!root.text_content().unwrap().contains("Add the booked services"));
}
