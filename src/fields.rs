//! Labelled inputs with their error below (`aria-invalid`, `aria-describedby`), so a person and a
//! screen reader both learn what to fix.

use crate::keypad::{Keypad, Keys};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;

/// How a field is typed.
#[derive(Clone, Copy)]
pub enum Typing {
    /// The OS keyboard, with these `inputmode` and `autocomplete` hints.
    Keyboard { mode: &'static str, autocomplete: &'static str },
    /// Digits only (a year, a mileage): anything else typed is dropped.
    Digits,
    /// Lane's keypad with these keys, at most `max` characters; the OS keyboard stays closed.
    Keypad { keys: &'static [Keys], max: usize },
}

pub const TEXT: Typing = Typing::Keyboard { mode: "text", autocomplete: "off" };

/// A true/false ARIA state (`aria-pressed`, `aria-invalid`, …) that follows `on`. One signal type
/// for every such attribute: each distinct closure in a view costs its own rendering code.
pub fn aria(on: impl Fn() -> bool + Send + Sync + 'static) -> Signal<&'static str> {
    Signal::derive(move || if on() { "true" } else { "false" })
}

/// A text that follows signals, as one signal type (see [`aria`]).
pub fn text(make: impl Fn() -> String + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(make)
}

#[component]
pub fn TextField(id: &'static str, label: Msg, value: RwSignal<String>, typing: Typing, error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let (mode, autocomplete) = match typing {
        Typing::Keyboard { mode, autocomplete } => (mode, autocomplete),
        Typing::Digits => ("numeric", "off"),
        Typing::Keypad { .. } => ("none", "off"),
    };
    let input = move |ev| {
        let typed = event_target_value(&ev);
        value.set(if matches!(typing, Typing::Digits) { typed.chars().filter(char::is_ascii_digit).collect() } else { typed });
    };
    let keypad = match typing {
        Typing::Keypad { keys, max } => Some(view! { <Keypad value keys max field=label /> }),
        _ => None,
    };
    view! {
        <div class="field">
            <label for=id>{i18n.msg(label)}</label>
            <input
                id=id
                inputmode=mode
                autocomplete=autocomplete
                autocapitalize="characters"
                spellcheck="false"
                aria-invalid=aria(move || error.with(Option::is_some))
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=input
            />
            <p id=error_id class="error" role="alert">{text(move || error.get().unwrap_or_default())}</p>
            {keypad}
        </div>
    }
}

/// A multi-line field (the customer's concerns).
#[component]
pub fn TextArea(#[prop(into)] id: String, label: Msg, value: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{i18n.msg(label)}</label>
            <textarea
                id=id
                rows="4"
                aria-invalid=aria(move || error.with(Option::is_some))
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <p id=error_id class="error" role="alert">{text(move || error.get().unwrap_or_default())}</p>
        </div>
    }
}
