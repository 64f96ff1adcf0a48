//! Added work (追加项目, DOMAIN.md step 7): the workshop's finding entered as added job lines with
//! their reason, safety flag and extra time; the customer's answer per line (declined in person, or
//! approved or declined by phone with the advisor's note of the call, as
//! `VisitEvent::Answered`); the new promised time; and the approval signed on the tablet by a
//! customer who is here (`DocumentKind::AddedWorkApproval`). Declined lines stay on the file as
//! recommendations for next time.

use super::order::FreeLine;
use super::signing::SignDocument;
use super::summary::JobLinesTable;
use super::visit::use_visit;
use super::workshop::when;
use crate::fields::{aria, text, TextArea, TextField, Typing};
use crate::format;
use crate::i18n::{text as text_in, use_i18n, Msg};
use chrono::Utc;
use lane_domain::added_work::open_for_added_work;
use lane_domain::document::{Document, Versioned};
use lane_domain::jobs::{AddedWork, Answer, Channel, Decision, JobLine, PROMISE_STEP};
use lane_domain::signature::DocumentKind;
use lane_domain::visit::{Visit, VisitEdit};
use lane_domain::workshop::VisitEvent;
use leptos::prelude::*;

#[component]
pub fn AddedWorkTab() -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    let visit = Memo::new(move |_| file.loaded.with(|l| l.as_ref().map(|l| l.visit.clone())));
    let open = Memo::new(move |_| visit.with(|v| v.as_ref().is_some_and(|v| open_for_added_work(v.state))));
    let added = Memo::new(move |_| visit.with(|v| v.as_ref().map(|v| v.job_lines.iter().filter(|l| l.added.is_some()).cloned().collect::<Vec<_>>()).unwrap_or_default()));
    let approval = Memo::new(move |_| file.loaded.with(|l| l.as_ref().and_then(|l| Document::next(DocumentKind::AddedWorkApproval, &l.visit, &l.customer, &l.vehicle).ok())));
    view! {
        <section class="added-work" aria-labelledby="added-title">
            <h2 id="added-title">{i18n.msg(Msg::AddedTitle)}</h2>
            <p hidden=move || !added.with(Vec::is_empty)>{i18n.msg(Msg::AddedNone)}</p>
            <ul class="added-lines" aria-label=i18n.msg(Msg::AddedTitle)>
                <For each=move || added.get() key=|line| (line.id.clone(), line.added.as_ref().map(|a| a.decision.answer().is_some())) let:line>
                    <AddedLine line open />
                </For>
            </ul>
            <div hidden=move || !open.get()>
                <NewPromise visit />
                <NewAddedLine visit />
            </div>
            {move || approval.get().map(|next| view! { <SignApproval next /> })}
        </section>
    }
}

/// One added line: what, why, how much and how long, and its answer or the ways to give one.
#[component]
fn AddedLine(line: JobLine, open: Memo<bool>) -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let Some(added) = line.added.clone() else { return ().into_any() };
    let note = RwSignal::new(String::new());
    let note_id = format!("added-note-{}", line.id);
    let customer = move || file.loaded.with_untracked(|l| l.as_ref().map(|l| l.customer.name.clone()));
    let id = StoredValue::new(line.id.clone());
    let answer = move |approve: bool, channel: Channel| {
        let Some(by) = customer() else { return };
        let answer = Answer { at: Utc::now(), by, channel, note: note.get_untracked() };
        let decision = if approve { Decision::Approved(answer) } else { Decision::Declined(answer) };
        file.record(VisitEvent::Answered { line: id.get_value(), decision });
    };
    let status = match &added.decision {
        Decision::Pending => i18n.t(Msg::AddedPending).to_owned(),
        Decision::Approved(a) | Decision::Declined(a) => {
            let what = if matches!(added.decision, Decision::Approved(_)) { Msg::AddedApproved } else { Msg::AddedDeclined };
            let how = i18n.t(if a.channel == Channel::Phone { Msg::AddedByPhone } else { Msg::AddedInPerson });
            let head = i18n.t_with(what, &[("name", a.by.as_str()), ("when", &when(i18n, a.at)), ("how", how)]);
            if a.note.is_empty() { head } else { format!("{head} — {}", a.note) }
        }
    };
    let pending = added.decision == Decision::Pending;
    let amount = format::amount(line.line_total(), i18n.language());
    let extra = i18n.t_with(Msg::AddedExtraMinutes, &[("minutes", &added.extra_minutes.to_string())]);
    let answers = pending.then(|| {
        view! {
            <div class="answers" hidden=move || !open.get()>
                <TextArea id=note_id label=Msg::AddedPhoneNote value=note error=Signal::derive(|| None) />
                <div class="actions" role="group" aria-label=i18n.t_with(Msg::AddedAnswerFor, &[("job", &line.description)])>
                    <button type="button" on:click=move |_| answer(true, Channel::Phone)>{i18n.msg(Msg::AddedPhoneApprove)}</button>
                    <button type="button" on:click=move |_| answer(false, Channel::Phone)>{i18n.msg(Msg::AddedPhoneDecline)}</button>
                    <button type="button" on:click=move |_| answer(false, Channel::InPerson)>{i18n.msg(Msg::AddedDeclineInPerson)}</button>
                </div>
            </div>
        }
    });
    view! {
        <li class="added-line">
            <p><strong>{line.description.clone()}</strong>" · "{amount}" · "{extra}{added.safety.then(|| view! { " · "<strong class="safety">{i18n.t(Msg::AddedSafety)}</strong> })}</p>
            <p>{i18n.msg(Msg::AddedReason)}" "{added.reason.clone()}</p>
            <p class="status" role="status">{status}</p>
            {answers}
        </li>
    }
    .into_any()
}

/// The promised time, moved with the customer when added work makes the job longer.
#[component]
fn NewPromise(visit: Memo<Option<Visit>>) -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let promised = Memo::new(move |_| visit.with(|v| v.as_ref().and_then(|v| v.promised_at)));
    let shift = move |later: bool| {
        if let Some(at) = promised.get_untracked() {
            file.edit(VisitEdit::PromisedAt(Some(if later { at + PROMISE_STEP } else { at - PROMISE_STEP })));
        }
    };
    view! {
        <h3>{i18n.msg(Msg::AddedPromisedTitle)}</h3>
        <p class="when">{text(move || promised.get().map(|at| when(i18n, at)).unwrap_or_else(|| i18n.t(Msg::OrderPromisedNone).to_owned()))}</p>
        <div class="actions" role="group" aria-label=i18n.msg(Msg::AddedPromisedTitle)>
            <button type="button" on:click=move |_| shift(false)>{i18n.msg(Msg::OrderEarlier)}</button>
            <button type="button" on:click=move |_| shift(true)>{i18n.msg(Msg::OrderLater)}</button>
        </div>
    }
}

/// The finding: why, whether it is a safety item, how much longer, then the line itself.
#[component]
fn NewAddedLine(visit: Memo<Option<Visit>>) -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let reason = RwSignal::new(String::new());
    let safety = RwSignal::new(false);
    let minutes = RwSignal::new("30".to_owned());
    let reason_error = RwSignal::new(None::<String>);
    let currency = Signal::derive(move || visit.with(|v| v.as_ref().and_then(|v| v.job_lines.first().map(|l| l.unit_price.currency))));
    let add = Callback::new(move |line: JobLine| {
        let why = reason.get_untracked().trim().to_owned();
        if why.is_empty() {
            reason_error.set(Some(i18n.t(Msg::AddedReasonMissing).to_owned()));
            return false;
        }
        reason_error.set(None);
        let extra_minutes = minutes.get_untracked().parse().unwrap_or(0);
        let line = JobLine { added: Some(AddedWork { reason: why, safety: safety.get_untracked(), extra_minutes, decision: Decision::Pending }), ..line };
        let Some(lines) = visit.with_untracked(|v| v.as_ref().map(|v| v.job_lines.clone())) else { return false };
        file.edit(VisitEdit::JobLines(lines.into_iter().chain([line]).collect()));
        reason.set(String::new());
        safety.set(false);
        true
    });
    view! {
        <fieldset class="added-new">
            <legend>{i18n.msg(Msg::AddedNewTitle)}</legend>
            <TextArea id="added-reason" label=Msg::AddedReasonLabel value=reason error=reason_error.into() />
            <button type="button" class="choice" aria-pressed=aria(move || safety.get()) on:click=move |_| safety.update(|s| *s = !*s)>{i18n.msg(Msg::AddedSafetyToggle)}</button>
            <TextField id="added-minutes" label=Msg::AddedMinutes value=minutes typing=Typing::Digits error=Signal::derive(|| None) />
            <FreeLine currency add />
        </fieldset>
    }
}

/// The supplementary order the customer signs, in their language, approving every line on it.
#[component]
fn SignApproval(next: Versioned) -> impl IntoView {
    let Document::AddedWork(approval) = next.document.clone() else { return ().into_any() };
    let language = approval.heading.language;
    let t = move |msg| text_in(language, msg);
    let promised = approval.promised_at.map(|at| format::moment(at.timestamp_millis() as f64, language)).unwrap_or_else(|| t(Msg::TabletSummaryNotPromised).to_owned());
    let extra = crate::i18n::fill(t(Msg::AddedExtraMinutes), &[("minutes", &approval.extra_minutes.to_string())]);
    let reasons = approval
        .lines
        .iter()
        .filter_map(|l| l.added.as_ref().map(|a| view! { <li>{l.description.clone()}": "{a.reason.clone()}{a.safety.then(|| view! { " — "<strong>{t(Msg::AddedSafety)}</strong> })}</li> }))
        .collect_view();
    view! {
        <section class="review" lang=language.tag()>
            <h2>{t(Msg::AddedSignTitle)}</h2>
            <p>{t(Msg::AddedSignIntro)}</p>
            <ul>{reasons}</ul>
            <JobLinesTable lines=approval.lines.clone() total=approval.total language />
            <p>{extra}" · "{t(Msg::TabletSummaryPromised)}" "{promised}</p>
            <SignDocument next language pad_label=Msg::TabletReviewPad sign_label=Msg::AddedSign />
        </section>
    }
    .into_any()
}
