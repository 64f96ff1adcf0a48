//! The language switch: each language named in itself, so anyone finds their own.

use crate::i18n::{use_i18n, Msg};
use lane_domain::Language;
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let buttons = Language::ALL
        .into_iter()
        .map(|language| {
            view! {
                <button
                    type="button"
                    lang=language.tag()
                    aria-pressed=move || (i18n.language() == language).to_string()
                    on:click=move |_| i18n.set(language)
                >
                    {language.native_name()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="language-switch" role="group" aria-label=i18n.msg(Msg::LanguageLabel)>
            {buttons}
        </div>
    }
}
