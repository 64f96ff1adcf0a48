//! The walk-around (环车检查, DOMAIN.md step 4) on the advisor's tablet: damage already on the car
//! marked on a drawing of it, the checklist, and the warning lights lit on the dash. Every change
//! hands the whole sheet, checked by `Walkaround::check`, to the visit page, which saves it.
//!
//! Taps, for the targets: a clean car is one tap (All OK: no marks, and no warning light is
//! the state of a new sheet); a damage mark is three (zone, kind, severity), Done being optional.

mod checklist;
mod diagram;
mod mark;
mod shapes;
mod warning_lights;

use crate::fields::{aria, text};
use crate::i18n::{use_i18n, I18n, Msg};
use checklist::Checklist;
use diagram::Diagram;
use lane_domain::ids::VisitId;
use lane_domain::walkaround::{CarView, DamageMark, Note, Walkaround, WalkaroundError};
use leptos::prelude::*;
use mark::{Editing, MarkEditor, MarkList};
use warning_lights::WarningLights;

// The names of what a sheet holds, for the order's summary and print.
pub use checklist::item_name;
pub use diagram::zone_name;
pub use mark::{kind_name, severity_name};
pub use warning_lights::light_name;

#[component]
pub fn WalkaroundStep(
    /// The visit's walk-around as last saved.
    #[prop(into)]
    walkaround: Signal<Walkaround>,
    /// Marks from the car's previous visit: shown faded, so only new damage is marked.
    #[prop(into)]
    past_marks: Signal<Vec<DamageMark>>,
    /// Called with the whole new walk-around after each change (a mark added/removed, a checklist
    /// answer, a warning light toggled), already passing `Walkaround::check`. The lead saves it.
    on_save: Callback<Walkaround>,
    /// The visit, for the photos of a mark (taken with `advisor::photo::PhotoButton`); without
    /// it, marks are made without photos.
    #[prop(optional_no_strip)]
    visit: Option<VisitId>,
    /// At pickup: the drop-off marks (as `past_marks`) compared with the car, new marks only; no
    /// checklist.
    #[prop(optional)]
    at_pickup: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let sheet = Sheet::new(walkaround, on_save);
    let marks = Memo::new(move |_| sheet.current.with(|w| w.marks.clone()));
    let shown = RwSignal::new(CarView::Left);
    let editing = RwSignal::new(None::<Editing>);
    let on_zone = Callback::new(move |zone| editing.set(Some(Editing::new(zone))));
    let open = Callback::new(move |mark: DamageMark| {
        shown.set(mark.zone.view());
        editing.set(Some(Editing::Saved(mark.id)));
    });
    let problem = text(move || sheet.problem.get().map(|p| problem_text(i18n, p)).unwrap_or_default());
    view! {
        <section class="walkaround" aria-labelledby="walkaround-title">
            <h2 id="walkaround-title">{i18n.msg(if at_pickup { Msg::PickupCompareTitle } else { Msg::WalkaroundTitle })}</h2>
            <p>{i18n.msg(if at_pickup { Msg::PickupCompareHint } else { Msg::WalkaroundHint })}</p>
            <p class="error" role="alert">{problem}</p>
            <div class="walkaround-marking">
                <Diagram shown marks past=past_marks on_zone />
                <div class="walkaround-marks">
                    <MarkEditor sheet editing visit />
                    <MarkList marks past=past_marks open />
                </div>
            </div>
            {(!at_pickup).then(|| view! { <Checklist sheet /><WarningLights sheet /> })}
        </section>
    }
}

/// The sheet as edited on this screen. An edit shows here at once and goes to `on_save`; the
/// saved copy coming back later (`saved`) is that edit's echo and must not undo an edit made in
/// between, so echoes are recognised and skipped. Anything else that arrives (another device's
/// edit, pulled) replaces the sheet.
#[derive(Clone, Copy)]
struct Sheet {
    current: RwSignal<Walkaround>,
    echoes: StoredValue<Vec<Walkaround>>,
    /// Why the last edit was not saved.
    problem: RwSignal<Option<WalkaroundError>>,
    on_save: Callback<Walkaround>,
}

impl Sheet {
    fn new(saved: Signal<Walkaround>, on_save: Callback<Walkaround>) -> Sheet {
        let sheet = Sheet {
            current: RwSignal::new(saved.get_untracked()),
            echoes: StoredValue::new(Vec::new()),
            problem: RwSignal::new(None),
            on_save,
        };
        Effect::new(move |_| {
            let saved = saved.get();
            let echo = sheet.echoes.with_value(|echoes| echoes.iter().position(|sent| *sent == saved));
            match echo {
                Some(at) => sheet.echoes.update_value(|echoes| drop(echoes.drain(..=at))),
                None => {
                    sheet.echoes.update_value(Vec::clear);
                    if sheet.current.with_untracked(|current| *current != saved) {
                        sheet.current.set(saved);
                    }
                }
            }
        });
        sheet
    }

    /// Applies `edit` and saves the result if it passes `Walkaround::check`; otherwise the sheet
    /// stays as it was and the problem is shown. Whether it was saved.
    fn edit(self, edit: impl FnOnce(&mut Walkaround)) -> bool {
        let mut next = self.current.get_untracked();
        edit(&mut next);
        match next.check() {
            Ok(()) => {
                self.problem.set(None);
                self.echoes.update_value(|echoes| echoes.push(next.clone()));
                self.current.set(next.clone());
                self.on_save.run(next);
                true
            }
            Err(problem) => {
                self.problem.set(Some(problem));
                false
            }
        }
    }
}

/// What to do about a sheet `Walkaround::check` refused, in the advisor's language. Only a sheet
/// that arrived broken can be refused (this screen keeps one entry a thing), and the fix is the
/// one tap each message names.
fn problem_text(i18n: I18n, problem: WalkaroundError) -> String {
    match problem {
        WalkaroundError::DuplicateMark => i18n.t(Msg::WalkaroundErrorDuplicateMark).to_owned(),
        WalkaroundError::ChecklistItemTwice { item } => {
            i18n.t_with(Msg::WalkaroundErrorChecklistItemTwice, &[("item", i18n.t(checklist::item_name(item)))])
        }
        WalkaroundError::WarningLightTwice { light } => {
            i18n.t_with(Msg::WalkaroundErrorWarningLightTwice, &[("light", i18n.t(warning_lights::light_name(light)))])
        }
        // Key tags and belongings are not on this sheet.
        other => other.to_string(),
    }
}

/// A button that is on or off (`aria-pressed`).
#[component]
fn Toggle(label: Msg, #[prop(into)] pressed: Signal<bool>, on_press: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="toggle" aria-pressed=aria(move || pressed.get()) on:click=move |_| on_press.run(())>
            {i18n.msg(label)}
        </button>
    }
}

/// A note (a mark's, a checklist item's), handed to `on_note` when the advisor leaves the field,
/// not at every key: each is a saved change.
#[component]
fn NoteField(id: String, #[prop(into)] label: Signal<String>, #[prop(into)] note: Signal<String>, on_note: Callback<Note>) -> impl IntoView {
    let i18n = use_i18n();
    let too_long = RwSignal::new(None::<usize>);
    // Another mark or item shown in the field: the last one's problem no longer applies.
    Effect::new(move |_| {
        note.track();
        too_long.set(None);
    });
    let change = move |ev| match Note::parse(&event_target_value(&ev)) {
        Ok(parsed) => {
            too_long.set(None);
            on_note.run(parsed);
        }
        Err(WalkaroundError::NoteTooLong { length }) => too_long.set(Some(length)),
        Err(_) => {}
    };
    let error_id = format!("{id}-error");
    let error = text(move || {
        too_long.get().map(|length| i18n.t_with(Msg::WalkaroundErrorNoteTooLong, &[("length", &length.to_string())])).unwrap_or_default()
    });
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                rows="2"
                aria-invalid=aria(move || too_long.with(Option::is_some))
                aria-describedby=error_id.clone()
                prop:value=note
                on:change=change
            ></textarea>
            <p id=error_id class="error" role="alert">{error}</p>
        </div>
    }
}
