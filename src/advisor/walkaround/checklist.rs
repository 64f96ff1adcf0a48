//! The checklist of the client's walk-around, in groups as the advisor walks (DOMAIN.md step 4).
//! Each item is OK, Attention (with a note: worth telling the customer) or not checked; All OK
//! answers every item still open in one tap. The sheet lists answered items once each, in the
//! order of `ChecklistItem::ALL`.

use super::{NoteField, Sheet, Toggle};
use crate::fields::text;
use crate::i18n::{use_i18n, Msg};
use lane_domain::walkaround::{CheckOutcome, ChecklistItem, ChecklistResult, Note, Walkaround};
use leptos::prelude::*;

use ChecklistItem::*;

pub const GROUPS: [(Msg, &[ChecklistItem]); 5] = [
    (Msg::WalkaroundChecklistGroupOutside, &[Tyres, FrontLights, Wipers]),
    (Msg::WalkaroundChecklistGroupBonnet, &[Fluids, Belts, Hoses, Battery]),
    (Msg::WalkaroundChecklistGroupRear, &[Boot, TailLights]),
    (Msg::WalkaroundChecklistGroupUnderbody, &[Underbody]),
    (Msg::WalkaroundChecklistGroupInside, &[InteriorTrim, Controls, InstrumentPanel]),
];

const OUTCOMES: [(CheckOutcome, Msg); 3] = [
    (CheckOutcome::Ok, Msg::WalkaroundChecklistOk),
    (CheckOutcome::Attention, Msg::WalkaroundChecklistAttention),
    (CheckOutcome::NotChecked, Msg::WalkaroundChecklistNotChecked),
];

pub fn item_name(item: ChecklistItem) -> Msg {
    match item {
        Tyres => Msg::WalkaroundChecklistItemTyres,
        FrontLights => Msg::WalkaroundChecklistItemFrontLights,
        Wipers => Msg::WalkaroundChecklistItemWipers,
        Fluids => Msg::WalkaroundChecklistItemFluids,
        Belts => Msg::WalkaroundChecklistItemBelts,
        Hoses => Msg::WalkaroundChecklistItemHoses,
        Battery => Msg::WalkaroundChecklistItemBattery,
        Boot => Msg::WalkaroundChecklistItemBoot,
        TailLights => Msg::WalkaroundChecklistItemTailLights,
        Underbody => Msg::WalkaroundChecklistItemUnderbody,
        InteriorTrim => Msg::WalkaroundChecklistItemInteriorTrim,
        Controls => Msg::WalkaroundChecklistItemControls,
        InstrumentPanel => Msg::WalkaroundChecklistItemInstrumentPanel,
    }
}

fn empty_note() -> Note {
    Note::parse("").expect("an empty note is a note")
}

/// Puts `result` on the sheet in place of any earlier answer to its item.
fn answer(sheet: &mut Walkaround, result: ChecklistResult) {
    sheet.checklist.retain(|r| r.item != result.item);
    sheet.checklist.push(result);
    sheet.checklist.sort_by_key(|r| ChecklistItem::ALL.iter().position(|item| *item == r.item));
}

/// Every item not answered yet is OK; answers already given stay.
fn all_ok(sheet: &mut Walkaround) {
    for item in ChecklistItem::ALL {
        if !sheet.checklist.iter().any(|r| r.item == item) {
            answer(sheet, ChecklistResult { item, outcome: CheckOutcome::Ok, note: empty_note() });
        }
    }
}

#[component]
pub fn Checklist(sheet: Sheet) -> impl IntoView {
    let i18n = use_i18n();
    let groups = GROUPS
        .map(|(title, items)| {
            let rows = items.iter().map(|&item| view! { <ChecklistRow sheet item /> }).collect_view();
            view! {
                <h4>{i18n.msg(title)}</h4>
                <ul class="checks">{rows}</ul>
            }
        })
        .collect_view();
    view! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h3 id="checklist-title">{i18n.msg(Msg::WalkaroundChecklistTitle)}</h3>
            <div class="all-ok">
                <button type="button" class="primary" aria-describedby="all-ok-hint" on:click=move |_| { sheet.edit(all_ok); }>
                    {i18n.msg(Msg::WalkaroundChecklistAllOk)}
                </button>
                <p id="all-ok-hint">{i18n.msg(Msg::WalkaroundChecklistAllOkHint)}</p>
            </div>
            {groups}
        </section>
    }
}

/// One item: its three answers, and the note when it needs attention. A note belongs to
/// Attention only, so another answer drops it.
#[component]
fn ChecklistRow(sheet: Sheet, item: ChecklistItem) -> impl IntoView {
    let i18n = use_i18n();
    let saved = Memo::new(move |_| sheet.current.with(|sheet| sheet.checklist.iter().find(|r| r.item == item).cloned()));
    let outcome = move || saved.with(|saved| saved.as_ref().map(|r| r.outcome));
    let toggles = OUTCOMES
        .map(|(choice, label)| {
            let on_press = Callback::new(move |()| {
                // Tapping the answer already given keeps its note.
                if saved.with_untracked(|saved| saved.as_ref().map(|r| r.outcome)) != Some(choice) {
                    sheet.edit(|sheet| answer(sheet, ChecklistResult { item, outcome: choice, note: empty_note() }));
                }
            });
            view! { <Toggle label pressed=Signal::derive(move || outcome() == Some(choice)) on_press /> }
        })
        .collect_view();
    let label_id = format!("check-{item:?}");
    let note = Signal::derive(move || saved.with(|saved| saved.as_ref().map(|r| r.note.to_string()).unwrap_or_default()));
    let note_label = text(move || i18n.t_with(Msg::WalkaroundChecklistNote, &[("item", i18n.t(item_name(item)))]));
    let on_note = Callback::new(move |note: Note| {
        sheet.edit(|sheet| answer(sheet, ChecklistResult { item, outcome: CheckOutcome::Attention, note }));
    });
    view! {
        <li class="check">
            <span class="check-item" id=label_id.clone()>{i18n.msg(item_name(item))}</span>
            <div class="toggles" role="group" aria-labelledby=label_id>{toggles}</div>
            <div class="check-note" hidden=move || outcome() != Some(CheckOutcome::Attention)>
                <NoteField id=format!("check-note-{item:?}") label=note_label note on_note />
            </div>
        </li>
    }
}
