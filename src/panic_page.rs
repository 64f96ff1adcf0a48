//! A panic must not leave a dead screen: it is reported to the console and the page is replaced
//! by a plain, translated error page with a reload button. Built with the DOM directly, because
//! after a panic the reactive system cannot be trusted.

use crate::i18n::{remembered_language, text, Msg};
use lane_domain::Language;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Lane panicked: {info}").into());
        show(remembered_language().unwrap_or_default());
    }));
}

/// Replaces the page with the error page in the language.
pub fn show(language: Language) {
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        show_in(&body, language);
    }
}

/// Replaces the contents of `root` with the error page.
pub fn show_in(root: &web_sys::Element, language: Language) {
    let Some(document) = root.owner_document() else { return };
    let element = |tag: &str, text: &str| {
        let el = document.create_element(tag).ok()?;
        el.set_text_content(Some(text));
        Some(el)
    };
    let (Some(main), Some(title), Some(message), Some(button)) = (
        document.create_element("main").ok(),
        element("h1", text(language, Msg::ErrorTitle)),
        element("p", text(language, Msg::ErrorBody)),
        element("button", text(language, Msg::ErrorReload)),
    ) else {
        return;
    };
    main.set_class_name("area error-page content");
    let _ = main.set_attribute("lang", language.tag());
    let _ = button.set_attribute("type", "button");
    button.set_class_name("button");
    let reload = Closure::once_into_js(|| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    let _ = button.add_event_listener_with_callback("click", reload.unchecked_ref());
    root.set_inner_html("");
    let _ = main.append_child(&title);
    let _ = main.append_child(&message);
    let _ = main.append_child(&button);
    let _ = root.append_child(&main);
}
