//! Pickup (交车, DOMAIN.md step 11): the work done and every charge line against the estimate, with
//! the approved added work and the declined lines as recommendations; the pickup readings (a long
//! way since drop-off needs a note); the drop-off walk-around shown for comparison with any new
//! mark recorded; the belongings and the keys ticked as they are handed back; and the customer's
//! signature accepting the car (`DocumentKind::PickupAcceptance`), which delivers it.

use super::readings::{distance, FuelDial};
use super::signing::SignDocument;
use super::summary::JobLinesTable;
use super::visit::{pickup_refusal, use_visit};
use super::walkaround::WalkaroundStep;
use super::workshop::when;
use crate::fields::{aria, text, TextField, TEXT};
use crate::format;
use crate::i18n::{fill, text as text_in, use_i18n, Msg};
use crate::keypad;
use lane_domain::document::{Document, DocumentError, Versioned};
use lane_domain::pickup::{Bill, Handback};
use lane_domain::readings::{FuelEighths, Odometer, PickupReadings};
use lane_domain::signature::DocumentKind;
use lane_domain::visit::{Visit, VisitEdit, VisitState};
use lane_domain::walkaround::Walkaround;
use leptos::prelude::*;

#[component]
pub fn PickupTab() -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    let visit = Memo::new(move |_| file.loaded.with(|l| l.as_ref().map(|l| l.visit.clone())));
    let state = Memo::new(move |_| visit.with(|v| v.as_ref().map(|v| v.state)));
    let next = Memo::new(move |_| file.loaded.with(|l| l.as_ref().map(|l| Document::next(DocumentKind::PickupAcceptance, &l.visit, &l.customer, &l.vehicle))));
    view! {
        <section class="pickup" aria-labelledby="pickup-title">
            <h2 id="pickup-title">{i18n.msg(Msg::PickupTitle)}</h2>
            {move || match state.get() {
                Some(VisitState::Ready) => view! {
                    <Charges visit />
                    <Readings visit />
                    <Comparison visit />
                    <HandedBack visit />
                    {move || match next.get() {
                        Some(Ok(next)) => view! { <SignPickup next /> }.into_any(),
                        Some(Err(DocumentError::Pickup(error))) => view! { <p class="error" role="status">{i18n.msg(pickup_refusal(&error))}</p> }.into_any(),
                        _ => ().into_any(),
                    }}
                }
                .into_any(),
                Some(VisitState::Delivered) => view! { <Delivered visit /><Charges visit /> }.into_any(),
                Some(_) => view! { <p role="status">{i18n.msg(Msg::PickupErrorNotReady)}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

/// The charged lines and their total against the estimate, and the declined ones.
#[component]
fn Charges(visit: Memo<Option<Visit>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        visit.with(|v| v.as_ref().and_then(|v| Bill::of(v).ok())).map(|a| {
            let language = i18n.language();
            let estimate = i18n.t_with(
                Msg::PickupEstimateAgainst,
                &[("low", &format::amount(a.estimate.cost, language)), ("high", &format::amount(a.estimate.max_cost(), language)), ("total", &format::amount(a.total, language))],
            );
            let over = (a.over_estimate().minor > 0).then(|| view! { <p class="notice">{i18n.t_with(Msg::PickupOverEstimate, &[("amount", &format::amount(a.over_estimate(), language))])}</p> });
            let declined: Vec<String> = a.declined.iter().map(|l| l.description.clone()).collect();
            view! {
                <h3>{i18n.msg(Msg::PickupChargesTitle)}</h3>
                <JobLinesTable lines=a.charged total=a.total language />
                <p class="order-estimate">{estimate}</p>
                {over}
                {(!declined.is_empty()).then(|| view! { <p class="recommendations">{i18n.msg(Msg::PickupRecommended)}" "{declined.join(", ")}</p> })}
            }
        })
    }
}

/// The odometer and fuel as the car is handed back, beside the drop-off readings.
#[component]
fn Readings(visit: Memo<Option<Visit>>) -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let digits = RwSignal::new(String::new());
    let fuel = RwSignal::new(None::<FuelEighths>);
    let note = RwSignal::new(String::new());
    let saved = Memo::new(move |_| visit.with(|v| v.as_ref().and_then(|v| v.pickup.clone())));
    Effect::new(move |_| {
        let saved = saved.get();
        digits.set(saved.as_ref().map(|r| r.odometer.value.to_string()).unwrap_or_default());
        fuel.set(saved.as_ref().map(|r| r.fuel));
        note.set(saved.and_then(|r| r.note).unwrap_or_default());
    });
    let drop_off = Memo::new(move |_| visit.with(|v| v.as_ref().and_then(|v| v.drop_off.clone())));
    let missing = RwSignal::new(None::<String>);
    let save = move |_| {
        let Some(at_drop_off) = drop_off.get_untracked() else { return };
        let (Some(value), Some(fuel)) = (digits.with_untracked(|d| d.parse().ok()), fuel.get_untracked()) else {
            missing.set(Some(i18n.t(Msg::PickupReadingsMissing).to_owned()));
            return;
        };
        missing.set(None);
        let note = Some(note.get_untracked().trim().to_owned()).filter(|n| !n.is_empty());
        file.edit(VisitEdit::PickupReadings(PickupReadings { odometer: Odometer { value, unit: at_drop_off.odometer.unit }, fuel, note }));
    };
    let before = text(move || {
        drop_off
            .get()
            .map(|r| i18n.t_with(Msg::PickupAtDropOff, &[("odometer", &distance(i18n, r.odometer)), ("eighths", &r.fuel.eighths().to_string())]))
            .unwrap_or_default()
    });
    let is_saved = move || saved.get().is_some();
    view! {
        <h3>{i18n.msg(Msg::PickupReadingsTitle)}</h3>
        <p>{before}</p>
        <div class="readings-body">
            <div class="odometer">
                <TextField id="pickup-odometer" label=Msg::ReadingsOdometer value=digits typing=crate::fields::Typing::Keypad { keys: keypad::DIGITS, max: 7 } error=missing.into() />
                <TextField id="pickup-note" label=Msg::PickupNote value=note typing=TEXT error=Signal::derive(|| None) />
            </div>
            <FuelDial value=fuel error=Signal::derive(|| None) />
        </div>
        <div class="step-actions">
            <p role="status">{text(move || if is_saved() { i18n.t(Msg::ReadingsSaved).to_owned() } else { String::new() })}</p>
            <button type="button" class="primary" on:click=save>{i18n.msg(Msg::PickupReadingsSave)}</button>
        </div>
    }
}

/// The drop-off walk-around, faded, with the marks of any new damage on top.
#[component]
fn Comparison(visit: Memo<Option<Visit>>) -> impl IntoView {
    let file = use_visit();
    let new_marks = Signal::derive(move || visit.with(|v| Walkaround { marks: v.as_ref().map(|v| v.handback.new_marks.clone()).unwrap_or_default(), ..Walkaround::default() }));
    let drop_off = Signal::derive(move || visit.with(|v| v.as_ref().map(|v| v.walkaround.marks.clone()).unwrap_or_default()));
    let on_save = Callback::new(move |w: Walkaround| {
        let Some(handback) = visit.with_untracked(|v| v.as_ref().map(|v| v.handback.clone())) else { return };
        file.edit(VisitEdit::Handback(Handback { new_marks: w.marks, ..handback }));
    });
    view! { <WalkaroundStep walkaround=new_marks past_marks=drop_off on_save visit=None at_pickup=true /> }
}

/// Each belonging and the keys, ticked as they are handed back.
#[component]
fn HandedBack(visit: Memo<Option<Visit>>) -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let handback = Memo::new(move |_| visit.with(|v| v.as_ref().map(|v| v.handback.clone()).unwrap_or_default()));
    let save = move |change: &dyn Fn(&mut Handback)| {
        let mut next = handback.get_untracked();
        change(&mut next);
        file.edit(VisitEdit::Handback(next));
    };
    let items = move || {
        visit.with(|v| {
            v.as_ref()
                .map(|v| v.belongings.items.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|item| {
                    let shown = item.clone();
                    let given = {
                        let item = item.clone();
                        move || handback.with(|h| h.returned.contains(&item))
                    };
                    let toggle = move |_| {
                        save(&|h: &mut Handback| {
                            if h.returned.contains(&item) {
                                h.returned.retain(|i| *i != item);
                            } else {
                                h.returned.push(item.clone());
                            }
                        })
                    };
                    view! { <li><button type="button" class="toggle" aria-pressed=aria(given) on:click=toggle>{shown}</button></li> }
                })
                .collect_view()
        })
    };
    let keys = move || handback.with(|h| h.keys_returned);
    view! {
        <h3>{i18n.msg(Msg::PickupHandedBackTitle)}</h3>
        <p class="quiet">{i18n.msg(Msg::PickupHandedBackHint)}</p>
        <ul class="choices belongings-returned" aria-label=i18n.msg(Msg::PickupHandedBackTitle)>{items}</ul>
        <button type="button" class="toggle" aria-pressed=aria(keys) on:click=move |_| save(&|h: &mut Handback| h.keys_returned = !h.keys_returned)>
            {i18n.msg(Msg::PickupKeys)}
        </button>
    }
}

/// The acceptance as the customer reads it in their language, and the pad.
#[component]
fn SignPickup(next: Versioned) -> impl IntoView {
    let Document::Pickup(acceptance) = next.document.clone() else { return ().into_any() };
    let language = acceptance.heading.language;
    let t = move |msg| text_in(language, msg);
    let readings = fill(
        t(Msg::PickupSignReadings),
        &[
            ("drop_off", &format::number(acceptance.drop_off.odometer.value, language)),
            ("pickup", &format::number(acceptance.pickup.odometer.value, language)),
            ("fuel", &acceptance.pickup.fuel.eighths().to_string()),
        ],
    );
    let marks = fill(t(Msg::PickupSignMarks), &[("before", &acceptance.drop_off_marks.len().to_string()), ("new", &acceptance.new_marks.len().to_string())]);
    let returned = if acceptance.belongings_returned.is_empty() { t(Msg::TabletSummaryNothingLeft).to_owned() } else { acceptance.belongings_returned.join(", ") };
    view! {
        <section class="review" lang=language.tag()>
            <h2>{t(Msg::PickupSignTitle)}</h2>
            <JobLinesTable lines=acceptance.charged.clone() total=acceptance.total language />
            <p>{readings}</p>
            <p>{marks}</p>
            <p>{t(Msg::PickupSignReturned)}" "{returned}</p>
            <SignDocument next language pad_label=Msg::TabletReviewPad sign_label=Msg::PickupSign />
        </section>
    }
    .into_any()
}

#[component]
fn Delivered(visit: Memo<Option<Visit>>) -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    move || {
        let signature = file.loaded.with(|l| l.as_ref()?.signatures.iter().find(|s| s.document.kind == DocumentKind::PickupAcceptance).cloned());
        let delivered = visit.with(|v| v.as_ref().and_then(|v| v.delivered_at));
        let id = visit.with(|v| v.as_ref().map(|v| v.id.to_string())).unwrap_or_default();
        view! {
            <p class="lead" role="status">
                {delivered.map(|at| i18n.t_with(Msg::PickupDelivered, &[("when", &when(i18n, at))]))}
            </p>
            {signature.map(|s| view! { <p class="hash">{i18n.msg(Msg::TabletSignedHash)}" "<code>{s.document.sha256.to_string()}</code></p> })}
            <a class="button primary" href=format!("/advisor/visits/{id}/print")>{i18n.msg(Msg::TabletSignedPrint)}</a>
        }
    }
}
