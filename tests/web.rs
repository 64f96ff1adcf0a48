//! The app's components in a real browser (headless Chromium through wasm-bindgen-test-runner):
//! the translation table, the language switch and its memory, the connection indicator, and
//! the error page a panic leaves behind.

use lane_app::connection::{provide_connection, Connection, ConnectionIndicator, SyncProblem};
use lane_app::i18n::{fill, provide_i18n, text, Msg};
use lane_app::language_switch::LanguageSwitch;
use lane_app::kiosk::KioskStart;
use lane_app::panic_page;
use lane_domain::Language;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen_test::*;

mod dom;
use dom::{button_named, container, document, text_of};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_message_has_text_in_every_language() {
    for msg in Msg::ALL {
        for language in Language::ALL {
            assert!(!text(language, msg).trim().is_empty(), "{} is empty in {}", msg.key(), language.tag());
        }
    }
    assert_ne!(text(Language::English, Msg::KioskTitle), text(Language::Korean, Msg::KioskTitle));
}

#[wasm_bindgen_test]
fn placeholders_are_filled() {
    assert_eq!(fill(text(Language::English, Msg::ConnectionWaiting), &[("count", "3")]), "3 changes waiting");
    assert_eq!(fill(text(Language::SimplifiedChinese, Msg::ConnectionWaiting), &[("count", "3")]), "3 项更改待同步");
}

#[wasm_bindgen_test]
async fn the_language_switch_translates_and_is_remembered() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), || {
        provide_i18n();
        view! { <Router><LanguageSwitch /> <KioskStart /></Router> }
    });
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "h1"), "Welcome");

    button_named(&root, "中文").click();
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "h1"), "欢迎光临");
    assert_eq!(button_named(&root, "中文").get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(button_named(&root, "English").get_attribute("aria-pressed").as_deref(), Some("false"));
    assert_eq!(document().document_element().unwrap().get_attribute("lang").as_deref(), Some("zh-CN"));

    button_named(&root, "한국어").click();
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "h1"), "어서 오세요");
    let stored = web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item("lane.language").unwrap();
    assert_eq!(stored.as_deref(), Some("\"ko\""));

    // A new start on this device begins in the remembered language.
    let again = container();
    let _second = leptos::mount::mount_to(again.clone(), || {
        provide_i18n();
        view! { <Router><KioskStart /></Router> }
    });
    leptos::task::tick().await;
    assert_eq!(text_of(&again, "h1"), "어서 오세요");
}

#[wasm_bindgen_test]
async fn the_indicator_follows_the_network_and_the_queue() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().set_item("lane.language", "\"en\"").unwrap();
    let root = container();
    let connection = StoredValue::new_local(None::<Connection>);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n();
        connection.set_value(Some(provide_connection()));
        view! { <ConnectionIndicator /> }
    });
    leptos::task::tick().await;
    let status = || text_of(&root, "[role=status]");
    let window = web_sys::window().unwrap();

    window.dispatch_event(&web_sys::Event::new("offline").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(status(), "OfflineAll changes saved to the server");

    window.dispatch_event(&web_sys::Event::new("online").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(status(), "OnlineAll changes saved to the server");

    let connection = connection.get_value().unwrap();
    connection.pending.set(3);
    connection.syncing.set(true);
    leptos::task::tick().await;
    assert_eq!(status(), "Syncing3 changes waiting");

    connection.pending.set(1);
    connection.syncing.set(false);
    let at = js_sys::Date::new_with_year_month_day_hr_min(2026, 10, 24, 9, 5).get_time();
    connection.last_sync.set(Some(at));
    connection.problem.set(Some(SyncProblem::StorageFull));
    leptos::task::tick().await;
    assert_eq!(
        status(),
        "Online1 change waitingLast sync 09:05This device's storage is full. Earlier changes are kept; free some space, then save again."
    );
}

#[wasm_bindgen_test]
fn a_panic_leaves_a_translated_page_with_a_reload_button() {
    let body = container();
    body.set_inner_html("<p>the app that panicked</p>");
    panic_page::show_in(&body, Language::Korean);
    assert!(!body.inner_html().contains("the app that panicked"));
    assert_eq!(text_of(&body, "h1"), "문제가 발생했습니다");
    let button = button_named(&body, "다시 불러오기");
    assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(body.query_selector("main").unwrap().unwrap().get_attribute("lang").as_deref(), Some("ko"));
}
