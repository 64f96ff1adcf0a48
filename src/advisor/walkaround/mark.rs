//! Damage marks: the editor of a tapped zone's new mark or of a mark of this visit, and the list
//! of marks. A new mark is saved as soon as its kind and severity are chosen (a tap each, in
//! either order), so a mark takes three taps; the note is optional, and Done only closes.

use super::diagram::zone_name;
use super::{NoteField, Sheet, Toggle};
use crate::advisor::photo::PhotoButton;
use crate::fields::text;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::random;
use lane_domain::ids::{DamageMarkId, PhotoId, VisitId};
use lane_domain::walkaround::{DamageKind, DamageMark, Note, Severity, Zone};
use leptos::prelude::*;

const KINDS: [DamageKind; 6] = [DamageKind::Scratch, DamageKind::Dent, DamageKind::Chip, DamageKind::Crack, DamageKind::Missing, DamageKind::Other];

const SEVERITIES: [Severity; 3] = [Severity::Minor, Severity::Moderate, Severity::Severe];

pub fn kind_name(kind: DamageKind) -> Msg {
    match kind {
        DamageKind::Scratch => Msg::WalkaroundKindScratch,
        DamageKind::Dent => Msg::WalkaroundKindDent,
        DamageKind::Chip => Msg::WalkaroundKindChip,
        DamageKind::Crack => Msg::WalkaroundKindCrack,
        DamageKind::Missing => Msg::WalkaroundKindMissing,
        DamageKind::Other => Msg::WalkaroundKindOther,
    }
}

pub fn severity_name(severity: Severity) -> Msg {
    match severity {
        Severity::Minor => Msg::WalkaroundSeverityMinor,
        Severity::Moderate => Msg::WalkaroundSeverityModerate,
        Severity::Severe => Msg::WalkaroundSeveritySevere,
    }
}

/// What the editor is open on.
#[derive(Clone, PartialEq)]
pub enum Editing {
    /// A zone just tapped: nothing is saved until the kind and the severity are chosen.
    New(Draft),
    /// A mark of this visit: every change is saved.
    Saved(DamageMarkId),
}

#[derive(Clone, PartialEq)]
pub struct Draft {
    zone: Zone,
    kind: Option<DamageKind>,
    severity: Option<Severity>,
    note: Note,
}

impl Editing {
    pub fn new(zone: Zone) -> Editing {
        Editing::New(Draft { zone, kind: None, severity: None, note: Note::parse("").expect("an empty note is a note") })
    }
}

/// The mark as the editor shows it; `number` is its place in the list, once saved.
#[derive(Clone, PartialEq)]
struct Shown {
    number: Option<usize>,
    zone: Zone,
    kind: Option<DamageKind>,
    severity: Option<Severity>,
    note: String,
    photos: usize,
}

/// The editor of `editing`; with the `visit`, a saved mark takes photos.
#[component]
pub fn MarkEditor(sheet: Sheet, editing: RwSignal<Option<Editing>>, visit: Option<VisitId>) -> impl IntoView {
    let i18n = use_i18n();
    let owner = Owner::current().expect("a component runs under an owner");
    let shown = Memo::new(move |_| match editing.get()? {
        Editing::New(draft) => {
            Some(Shown { number: None, zone: draft.zone, kind: draft.kind, severity: draft.severity, note: draft.note.to_string(), photos: 0 })
        }
        Editing::Saved(id) => sheet.current.with(|sheet| {
            let at = sheet.marks.iter().position(|mark| mark.id == id)?;
            let mark = &sheet.marks[at];
            let note = mark.note.to_string();
            Some(Shown { number: Some(at + 1), zone: mark.zone, kind: Some(mark.kind), severity: Some(mark.severity), note, photos: mark.photos.len() })
        }),
    });
    let saved = move || shown.with(|shown| shown.as_ref().is_some_and(|shown| shown.number.is_some()));
    // A saved mark's change, or the draft's; a draft with both kind and severity becomes a mark.
    let change = move |edit: &dyn Fn(&mut Draft)| match editing.get_untracked() {
        Some(Editing::New(mut draft)) => {
            edit(&mut draft);
            if let (Some(kind), Some(severity)) = (draft.kind, draft.severity) {
                let id = DamageMarkId::parse(&random::uuid_v4()).expect("a UUID is an id");
                let mark = DamageMark { id: id.clone(), zone: draft.zone, kind, severity, note: draft.note.clone(), photos: Vec::new() };
                if sheet.edit(|sheet| sheet.marks.push(mark)) {
                    editing.set(Some(Editing::Saved(id)));
                    return;
                }
            }
            editing.set(Some(Editing::New(draft)));
        }
        Some(Editing::Saved(id)) => {
            sheet.edit(|sheet| {
                if let Some(mark) = sheet.marks.iter_mut().find(|mark| mark.id == id) {
                    let mut draft = Draft { zone: mark.zone, kind: Some(mark.kind), severity: Some(mark.severity), note: mark.note.clone() };
                    edit(&mut draft);
                    (mark.kind, mark.severity, mark.note) = (draft.kind.unwrap_or(mark.kind), draft.severity.unwrap_or(mark.severity), draft.note);
                }
            });
        }
        None => {}
    };
    let kinds = KINDS
        .map(|kind| {
            let pressed = Signal::derive(move || shown.with(|shown| shown.as_ref().is_some_and(|shown| shown.kind == Some(kind))));
            let on_press = Callback::new(move |()| change(&|draft| draft.kind = Some(kind)));
            view! { <Toggle label=kind_name(kind) pressed on_press /> }
        })
        .collect_view();
    let severities = SEVERITIES
        .map(|severity| {
            let pressed = Signal::derive(move || shown.with(|shown| shown.as_ref().is_some_and(|shown| shown.severity == Some(severity))));
            let on_press = Callback::new(move |()| change(&|draft| draft.severity = Some(severity)));
            view! { <Toggle label=severity_name(severity) pressed on_press /> }
        })
        .collect_view();
    let title = text(move || match shown.get() {
        Some(Shown { number: Some(number), zone, .. }) => {
            i18n.t_with(Msg::WalkaroundMarkTitle, &[("number", &number.to_string()), ("zone", i18n.t(zone_name(zone)))])
        }
        Some(Shown { zone, .. }) => i18n.t_with(Msg::WalkaroundMarkNew, &[("zone", i18n.t(zone_name(zone)))]),
        None => String::new(),
    });
    let note = Signal::derive(move || shown.with(|shown| shown.as_ref().map(|shown| shown.note.clone()).unwrap_or_default()));
    let note_label = text(move || i18n.t(Msg::WalkaroundMarkNote).to_owned());
    let on_note = Callback::new(move |note: Note| change(&|draft| draft.note = note.clone()));
    let photos = text(move || {
        let count = shown.with(|shown| shown.as_ref().map_or(0, |shown| shown.photos));
        i18n.t_with(Msg::WalkaroundMarkPhotos, &[("count", &count.to_string())])
    });
    // A camera button of the mark's own, so it shows only that mark's new photos. The photo may
    // be kept after the editor moved on: its callback lives as long as the editor, not the button.
    let saved_id = Memo::new(move |_| match editing.get() {
        Some(Editing::Saved(id)) => Some(id),
        _ => None,
    });
    let camera = move || {
        let (id, visit) = (saved_id.get()?, visit.clone()?);
        let on_taken = owner.with(|| {
            Callback::new(move |photo: PhotoId| {
                sheet.edit(|sheet| {
                    if let Some(mark) = sheet.marks.iter_mut().find(|mark| mark.id == id) {
                        mark.photos.push(photo);
                    }
                });
            })
        });
        Some(view! { <PhotoButton visit on_taken /> })
    };
    let remove = move |_| {
        if let Some(Editing::Saved(id)) = editing.get_untracked() {
            if sheet.edit(|sheet| sheet.marks.retain(|mark| mark.id != id)) {
                editing.set(None);
            }
        }
    };
    let close_label = move || i18n.t(if saved() { Msg::WalkaroundMarkDone } else { Msg::WalkaroundMarkCancel });
    view! {
        <p class="mark-idle" hidden=move || shown.with(Option::is_some)>{i18n.msg(Msg::WalkaroundMarkIdle)}</p>
        <section class="mark-editor" aria-labelledby="mark-editor-title" hidden=move || shown.with(Option::is_none)>
            <h3 id="mark-editor-title">{title}</h3>
            <p hidden=saved>{i18n.msg(Msg::WalkaroundMarkChoose)}</p>
            <p class="group-label" id="mark-kind-label">{i18n.msg(Msg::WalkaroundKindLabel)}</p>
            <div class="toggles" role="group" aria-labelledby="mark-kind-label">{kinds}</div>
            <p class="group-label" id="mark-severity-label">{i18n.msg(Msg::WalkaroundSeverityLabel)}</p>
            <div class="toggles" role="group" aria-labelledby="mark-severity-label">{severities}</div>
            <NoteField id={"mark-note".to_owned()} label=note_label note on_note />
            <div class="mark-photos" hidden=move || !saved()>
                <p>{photos}</p>
                {camera}
            </div>
            <div class="actions">
                <button type="button" hidden=move || !saved() on:click=remove>{i18n.msg(Msg::WalkaroundMarkRemove)}</button>
                <button type="button" class="primary" on:click=move |_| editing.set(None)>{close_label}</button>
            </div>
        </section>
    }
}

fn entry(i18n: I18n, template: Msg, number: usize, mark: &DamageMark) -> String {
    i18n.t_with(
        template,
        &[
            ("number", &number.to_string()),
            ("zone", i18n.t(zone_name(mark.zone))),
            ("kind", i18n.t(kind_name(mark.kind))),
            ("severity", i18n.t(severity_name(mark.severity))),
        ],
    )
}

/// This visit's marks, each opening the editor; the last visit's, to read.
#[component]
pub fn MarkList(#[prop(into)] marks: Signal<Vec<DamageMark>>, past: Signal<Vec<DamageMark>>, open: Callback<DamageMark>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |mark: DamageMark| {
        let id = mark.id.clone();
        let label = text(move || {
            marks.with(|marks| marks.iter().position(|m| m.id == id).map(|at| entry(i18n, Msg::WalkaroundMarksEntry, at + 1, &marks[at]))).unwrap_or_default()
        });
        let id = mark.id;
        let press = move |_| {
            if let Some(mark) = marks.with_untracked(|marks| marks.iter().find(|m| m.id == id).cloned()) {
                open.run(mark);
            }
        };
        view! { <li><button type="button" class="mark-entry" on:click=press>{label}</button></li> }
    };
    let past_rows = move || past.with(|past| past.iter().map(|mark| view! { <li>{entry(i18n, Msg::WalkaroundMarksPastEntry, 0, mark)}</li> }).collect_view());
    view! {
        <h3>{i18n.msg(Msg::WalkaroundMarksTitle)}</h3>
        <p hidden=move || marks.with(|marks| !marks.is_empty())>{i18n.msg(Msg::WalkaroundMarksNone)}</p>
        <ul class="marks">
            <For each=move || marks.get() key=|mark| mark.id.clone() children=row />
        </ul>
        <div class="past-marks" hidden=move || past.with(Vec::is_empty)>
            <h3>{i18n.msg(Msg::WalkaroundMarksPast)}</h3>
            <ul class="marks">{past_rows}</ul>
        </div>
    }
}
