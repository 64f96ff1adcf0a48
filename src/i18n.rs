//! Translations: the `Msg` table generated from `locales/*.json` by `build.rs`, and the current
//! language as app-wide context, remembered per device.

use gloo_storage::{LocalStorage, Storage};
use lane_domain::Language;
use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

const STORAGE_KEY: &str = "lane.language";

/// The current language. `Copy`, so views capture it freely.
#[derive(Clone, Copy)]
pub struct I18n {
    language: RwSignal<Language>,
}

impl I18n {
    pub fn language(self) -> Language {
        self.language.get()
    }

    /// Switches the language and remembers it on this device.
    pub fn set(self, language: Language) {
        self.language.set(language);
        // A full storage only costs the remembered choice, never the switch itself.
        let _ = LocalStorage::set(STORAGE_KEY, language.tag());
    }

    /// The message in the current language; reactive when called inside a view closure.
    pub fn t(self, msg: Msg) -> &'static str {
        text(self.language.get(), msg)
    }

    /// The message as views show it, following the language. Every call returns the same closure
    /// type, so the view code that renders it is generated once, not once per message.
    pub fn msg(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(msg)
    }

    /// The message with its `{name}` placeholders filled in.
    pub fn t_with(self, msg: Msg, args: &[(&str, &str)]) -> String {
        fill(self.t(msg), args)
    }
}

pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The language this device last chose, if any.
pub fn remembered_language() -> Option<Language> {
    LocalStorage::get::<String>(STORAGE_KEY).ok().and_then(|tag| Language::from_tag(&tag))
}

fn browser_language() -> Option<Language> {
    web_sys::window()?.navigator().language().and_then(|tag| Language::from_tag(&tag))
}

/// Provides [`I18n`] and keeps `<html lang>` in step, so screen readers and fonts follow.
pub fn provide_i18n() -> I18n {
    let language = remembered_language().or_else(browser_language).unwrap_or_default();
    let i18n = I18n { language: RwSignal::new(language) };
    Effect::new(move |_| {
        let tag = i18n.language().tag();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", tag);
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
