//! The inquiry (问诊, DOMAIN.md step 3): the customer's own words and the advisor's first
//! diagnosis, in two fields that never mix. Quick prompts ask what the rule lists (when, where,
//! how often, engine cold or hot, speed, load, road) and add the answer as a line of the
//! customer's words, in a tap.

use super::visit::use_visit;
use crate::i18n::{use_i18n, Msg};
use lane_domain::appointment::Concerns;
use lane_domain::visit::VisitEdit;
use leptos::prelude::*;

/// A question and its usual answers.
struct Prompt {
    question: Msg,
    answers: &'static [Msg],
}

const PROMPTS: &[Prompt] = &[
    Prompt { question: Msg::TabletInquiryWhen, answers: &[Msg::TabletInquiryWhenStarting, Msg::TabletInquiryWhenBraking, Msg::TabletInquiryWhenTurning, Msg::TabletInquiryWhenIdling] },
    Prompt { question: Msg::TabletInquiryWhere, answers: &[Msg::TabletInquiryWhereFront, Msg::TabletInquiryWhereRear, Msg::TabletInquiryWhereEngine, Msg::TabletInquiryWhereCabin] },
    Prompt { question: Msg::TabletInquiryOften, answers: &[Msg::TabletInquiryOftenAlways, Msg::TabletInquiryOftenSometimes, Msg::TabletInquiryOftenOnce] },
    Prompt { question: Msg::TabletInquiryEngine, answers: &[Msg::TabletInquiryEngineCold, Msg::TabletInquiryEngineHot] },
    Prompt { question: Msg::TabletInquirySpeed, answers: &[Msg::TabletInquirySpeedLow, Msg::TabletInquirySpeedHigh] },
    Prompt { question: Msg::TabletInquiryLoad, answers: &[Msg::TabletInquiryLoadEmpty, Msg::TabletInquiryLoadFull] },
    Prompt { question: Msg::TabletInquiryRoad, answers: &[Msg::TabletInquiryRoadSmooth, Msg::TabletInquiryRoadRough, Msg::TabletInquiryRoadWet] },
];

#[component]
pub fn InquiryStep() -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    let saved = |pick: fn(&lane_domain::visit::Visit) -> String| file.loaded.with_untracked(|l| l.as_ref().map(|l| pick(&l.visit)).unwrap_or_default());
    let concerns = RwSignal::new(saved(|v| v.concerns.to_string()));
    let diagnosis = RwSignal::new(saved(|v| v.diagnosis.clone()));
    let too_long = RwSignal::new(false);
    let save_concerns = move || match Concerns::parse(&concerns.get_untracked()) {
        Ok(parsed) => {
            too_long.set(false);
            file.edit(VisitEdit::Concerns(parsed));
        }
        Err(_) => too_long.set(true),
    };
    let add = move |question: Msg, answer: Msg| {
        let line = format!("{}: {}", i18n.t(question), i18n.t(answer));
        concerns.update(|text| {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&line);
        });
        save_concerns();
    };
    let prompts = PROMPTS
        .iter()
        .map(|prompt| {
            let question = prompt.question;
            let answers = prompt.answers.iter().map(|&answer| view! { <button type="button" class="chip" on:click=move |_| add(question, answer)>{i18n.msg(answer)}</button> }).collect_view();
            view! {
                <div class="prompt" role="group" aria-label=i18n.msg(question)>
                    <span class="prompt-question">{i18n.msg(question)}</span>
                    {answers}
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="inquiry">
            <div class="field">
                <label for="concerns">{i18n.msg(Msg::TabletInquiryConcerns)}</label>
                <textarea id="concerns" rows="4" aria-invalid=crate::fields::aria(move || too_long.get()) aria-describedby="concerns-error"
                    prop:value=concerns on:input=move |ev| concerns.set(event_target_value(&ev)) on:change=move |_| save_concerns()></textarea>
                <p id="concerns-error" class="error" role="alert">{move || too_long.get().then(|| i18n.t(Msg::TabletInquiryTooLong))}</p>
            </div>
            <div class="prompts">{prompts}</div>
            <div class="field">
                <label for="diagnosis">{i18n.msg(Msg::TabletInquiryDiagnosis)}</label>
                <textarea id="diagnosis" rows="3" maxlength="2000"
                    prop:value=diagnosis on:input=move |ev| diagnosis.set(event_target_value(&ev))
                    on:change=move |_| file.edit(VisitEdit::Diagnosis(diagnosis.get_untracked()))></textarea>
            </div>
        </section>
    }
}
