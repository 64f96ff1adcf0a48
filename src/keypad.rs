//! An on-screen keypad for what a kiosk's customers type most: plates (Latin letters and digits,
//! the province character of a Chinese plate, the Hangul syllable of a Korean one), confirmation
//! codes and phone digits; and on the tablet, odometer readings and key tags. It types into a
//! field's signal; the OS keyboard stays closed.

use crate::fields::{aria, text};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;

/// One set of keys, with the name of its tab.
pub struct Keys {
    name: Msg,
    chars: &'static str,
}

const LATIN: Keys = Keys { name: Msg::KioskKeypadLatin, chars: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" };

/// Only the characters of a confirmation code (`lane_domain::appointment::ConfirmationCode`): no
/// look-alikes to mistype.
pub const CODE: &[Keys] = &[Keys { name: Msg::KioskKeypadLatin, chars: "ACDEFGHJKLMNPQRTUVWXY34679" }];

pub const PLATE: &[Keys] = &[
    LATIN,
    Keys { name: Msg::KioskKeypadProvinces, chars: "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼" },
    Keys { name: Msg::KioskKeypadHangul, chars: "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주하허호배" },
];

pub const DIGITS: &[Keys] = &[Keys { name: Msg::KioskKeypadLatin, chars: "1234567890" }];

/// A key tag's characters (`lane_domain::walkaround::KeyTag`).
pub const KEY_TAG: &[Keys] = &[LATIN];

/// Types into `value`, at most `max` characters. `field` names the field for screen readers.
#[component]
pub fn Keypad(value: RwSignal<String>, keys: &'static [Keys], max: usize, field: Msg) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(0usize);
    let tabs = (keys.len() > 1).then(|| {
        keys.iter()
            .enumerate()
            .map(|(at, set)| {
                let pressed = aria(move || shown.get() == at);
                view! { <button type="button" class="keypad-tab" aria-pressed=pressed on:click=move |_| shown.set(at)>{i18n.msg(set.name)}</button> }
            })
            .collect_view()
    });
    let press = move |key: char| value.update(|text| if text.chars().count() < max { text.push(key) });
    let grid = move || {
        keys[shown.get()]
            .chars
            .chars()
            .map(|key| view! { <button type="button" class="key" on:click=move |_| press(key)>{key.to_string()}</button> })
            .collect_view()
    };
    let label = text(move || i18n.t_with(Msg::KioskKeypadLabel, &[("field", i18n.t(field))]));
    view! {
        <div class="keypad" role="group" aria-label=label>
            {tabs.map(|tabs| view! { <div class="keypad-tabs">{tabs}</div> })}
            <div class="keys">
                {grid}
                <button type="button" class="key key-delete" aria-label=i18n.msg(Msg::KioskKeypadDelete) on:click=move |_| value.update(|text| { text.pop(); })>
                    <span aria-hidden="true">"⌫"</span>
                </button>
            </div>
        </div>
    }
}
