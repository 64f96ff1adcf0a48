//! What stays with the car (DOMAIN.md step 4): the items left in it (随车物品清单), the valuables
//! reminder (贵重物品提醒) and the key tag. The domain checks both (`Belongings::check`,
//! `KeyTag::parse`); this module words its errors in the advisor's language.

use crate::fields::{aria, text, TextField, Typing, TEXT};
use crate::i18n::{use_i18n, I18n, Msg};
use crate::keypad;
use lane_domain::walkaround::{Belongings, KeyTag, WalkaroundError};
use leptos::prelude::*;

/// The keypad stops at the longest tag `KeyTag::parse` takes.
const KEY_TAG_LENGTH: usize = 8;

/// One tap adds these (or takes them off again); they are listed in the language on screen.
const COMMON: [Msg; 7] = [
    Msg::BelongingsCharger,
    Msg::BelongingsChildSeat,
    Msg::BelongingsSunglasses,
    Msg::BelongingsDocuments,
    Msg::BelongingsUmbrella,
    Msg::BelongingsTollCard,
    Msg::BelongingsValuables,
];

fn problem(i18n: I18n, error: WalkaroundError) -> String {
    match error {
        WalkaroundError::BelongingEmpty => i18n.t(Msg::BelongingsItemEmpty).to_owned(),
        WalkaroundError::BelongingTooLong { length } => i18n.t_with(Msg::BelongingsItemTooLong, &[("length", &length.to_string())]),
        WalkaroundError::TooManyBelongings { count } => i18n.t_with(Msg::BelongingsTooMany, &[("count", &count.to_string())]),
        WalkaroundError::KeyTagWrongLength { length: 0 } => i18n.t(Msg::BelongingsKeyTagEmpty).to_owned(),
        WalkaroundError::KeyTagWrongLength { length } => i18n.t_with(Msg::BelongingsKeyTagTooLong, &[("length", &length.to_string())]),
        WalkaroundError::KeyTagInvalidCharacter { character } => {
            i18n.t_with(Msg::BelongingsKeyTagCharacter, &[("character", &character.to_string())])
        }
        // The walk-around sheet's own errors: neither check here returns them.
        other => other.to_string(),
    }
}

#[component]
pub fn BelongingsStep(
    #[prop(into)] belongings: Signal<Belongings>,
    #[prop(into)] key_tag: Signal<Option<KeyTag>>,
    /// Called after each change that passes `Belongings::check`: every tap counts at once.
    #[prop(into)]
    on_save_belongings: Callback<Belongings>,
    /// Called by the key tag's Save with a tag `KeyTag::parse` accepted.
    #[prop(into)]
    on_save_key_tag: Callback<Option<KeyTag>>,
) -> impl IntoView {
    view! {
        <Items belongings on_save=on_save_belongings />
        <KeyTagEntry key_tag on_save=on_save_key_tag />
    }
}

#[component]
fn Items(belongings: Signal<Belongings>, on_save: Callback<Belongings>) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(Belongings::default());
    // Seeded again only when the saved list itself changes, not with every edit of the visit.
    let saved = Memo::new(move |_| belongings.get());
    Effect::new(move |_| draft.set(saved.get()));
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<WalkaroundError>);

    // Keeps and saves the changed list if the domain accepts it; otherwise says why.
    let change = move |edit: &dyn Fn(&mut Belongings)| {
        let mut next = draft.get_untracked();
        edit(&mut next);
        match next.check() {
            Ok(()) => {
                error.set(None);
                draft.set(next.clone());
                on_save.run(next);
                true
            }
            Err(e) => {
                error.set(Some(e));
                false
            }
        }
    };
    let listed = move |item: &str| draft.with(|b| b.items.iter().any(|i| i == item));
    let common = COMMON
        .into_iter()
        .map(|msg| {
            let toggle = move |_| {
                let item = i18n.t(msg);
                let on = listed(item);
                change(&|b| if on { b.items.retain(|i| i != item) } else { b.items.push(item.to_owned()) });
            };
            view! { <button type="button" class="quick-item" aria-pressed=aria(move || listed(i18n.t(msg))) on:click=toggle>{i18n.msg(msg)}</button> }
        })
        .collect_view();
    let add = move |_| {
        let item = typed.get_untracked().trim().to_owned();
        if change(&|b| b.items.push(item.clone())) {
            typed.set(String::new());
        }
    };
    let items = move || {
        draft.with(|b| {
            b.items
                .iter()
                .enumerate()
                .map(|(at, item)| {
                    let remove = text({
                        let item = item.clone();
                        move || i18n.t_with(Msg::BelongingsRemove, &[("item", &item)])
                    });
                    view! {
                        <li>
                            <span>{item.clone()}</span>
                            <button type="button" class="remove" aria-label=remove on:click=move |_| { change(&|b| { b.items.remove(at); }); }>
                                <span aria-hidden="true">"✕"</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let reminded = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        change(&|b| b.valuables_reminder_confirmed = on);
    };
    view! {
        <section class="belongings" aria-labelledby="belongings-title">
            <h2 id="belongings-title">{i18n.msg(Msg::BelongingsTitle)}</h2>
            <div class="quick-items" role="group" aria-label=i18n.msg(Msg::BelongingsCommon)>{common}</div>
            <div class="add-item">
                <TextField id="belongings-item" label=Msg::BelongingsOther value=typed typing=TEXT error=Signal::derive(move || error.get().map(|e| problem(i18n, e))) />
                <button type="button" on:click=add>{i18n.msg(Msg::BelongingsAdd)}</button>
            </div>
            <h3 id="belongings-listed">{i18n.msg(Msg::BelongingsListed)}</h3>
            <p hidden=move || draft.with(|b| !b.items.is_empty())>{i18n.msg(Msg::BelongingsNone)}</p>
            <ul class="items" aria-labelledby="belongings-listed">{items}</ul>
            <label class="big-check">
                <input type="checkbox" prop:checked=move || draft.with(|b| b.valuables_reminder_confirmed) on:change=reminded />
                <span>{i18n.msg(Msg::BelongingsReminder)}</span>
            </label>
        </section>
    }
}

/// The key tag's number, typed on the keypad; saved by its own button, since a half-typed tag
/// must not land on the visit.
#[component]
fn KeyTagEntry(key_tag: Signal<Option<KeyTag>>, on_save: Callback<Option<KeyTag>>) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let saved = Memo::new(move |_| key_tag.get());
    Effect::new(move |_| typed.set(saved.get().map(String::from).unwrap_or_default()));
    // The error shows from the first Save on, then follows the typing.
    let tried = RwSignal::new(false);
    let error = Signal::derive(move || tried.get().then(|| typed.with(|t| KeyTag::parse(t).err())).flatten().map(|e| problem(i18n, e)));
    let save = move |_| {
        tried.set(true);
        if let Ok(tag) = KeyTag::parse(&typed.get_untracked()) {
            typed.set(tag.to_string());
            on_save.run(Some(tag));
        }
    };
    let is_saved = move || saved.get().is_some_and(|tag| typed.with(|t| t == tag.as_str()));
    view! {
        <section class="key-tag-entry">
            <TextField id="belongings-key-tag" label=Msg::BelongingsKeyTag value=typed typing=Typing::Keypad { keys: keypad::KEY_TAG, max: KEY_TAG_LENGTH } error />
            <div class="step-actions">
                <p role="status">{text(move || if is_saved() { i18n.t(Msg::BelongingsKeyTagSaved).to_owned() } else { String::new() })}</p>
                <button type="button" class="primary" on:click=save>{i18n.msg(Msg::BelongingsKeyTagSave)}</button>
            </div>
        </section>
    }
}
