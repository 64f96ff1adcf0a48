//! A drop-off order as the customer reads it, in their language: on the review screen before
//! signing, on a signed visit, and twice on the printed order. It shows the `DropOffOrder` value
//! itself, the very content that is hashed and signed, so the screen cannot say anything else.

use super::walkaround::{item_name, kind_name, light_name, severity_name, zone_name};
use crate::format;
use crate::i18n::{fill, text, Msg};
use lane_domain::appointment::Transport;
use lane_domain::drop_off::DropOffOrder;
use lane_domain::jobs::{quantity_text, JobItem, JobLine, PartSource, PricingBasis};
use lane_domain::readings::DistanceUnit;
use lane_domain::walkaround::CheckOutcome;
use lane_domain::{Language, Money};
use leptos::prelude::*;

fn transport(transport: Transport) -> Msg {
    match transport {
        Transport::Wait => Msg::TabletSummaryWait,
        Transport::Loaner => Msg::TabletSummaryLoaner,
        Transport::Shuttle => Msg::TabletSummaryShuttle,
        Transport::DropOff => Msg::TabletSummaryDropOff,
    }
}

fn basis(basis: PricingBasis) -> Msg {
    match basis {
        PricingBasis::ByItem => Msg::TabletSummaryByItem,
        PricingBasis::BySystem => Msg::TabletSummaryBySystem,
        PricingBasis::BySymptom => Msg::TabletSummaryBySymptom,
    }
}

fn item(item: JobItem) -> Msg {
    match item {
        JobItem::Labour => Msg::TabletSummaryLabour,
        JobItem::Part { source: PartSource::Original } => Msg::TabletSummaryPartOriginal,
        JobItem::Part { source: PartSource::Aftermarket } => Msg::TabletSummaryPartAftermarket,
        JobItem::Part { source: PartSource::CustomerSupplied } => Msg::TabletSummaryPartCustomer,
    }
}

/// "2 h 30 min".
fn duration(minutes: u32, language: Language) -> String {
    fill(text(language, Msg::TabletSummaryDuration), &[("hours", &(minutes / 60).to_string()), ("minutes", &(minutes % 60).to_string())])
}

#[component]
pub fn OrderSummary(order: DropOffOrder, language: Language) -> impl IntoView {
    let t = move |msg| text(language, msg);
    let DropOffOrder { customer_name, customer_phone, plate, vin, vehicle, concerns, diagnosis, transport: how, walkaround, readings, belongings, key_tag, job_lines, total, estimate, promised_at, pricing_basis, .. } =
        order;
    let unit = t(match readings.odometer.unit {
        DistanceUnit::Km => Msg::TabletSummaryKm,
        DistanceUnit::Miles => Msg::TabletSummaryMiles,
    });
    let odometer = format!("{} {unit}", format::number(readings.odometer.value, language));
    let fuel = fill(t(Msg::TabletSummaryFuelValue), &[("eighths", &readings.fuel.eighths().to_string())]);
    let marks = if walkaround.marks.is_empty() {
        view! { <p>{t(Msg::TabletSummaryNoDamage)}</p> }.into_any()
    } else {
        let list = walkaround
            .marks
            .iter()
            .enumerate()
            .map(|(n, mark)| {
                let what = format!(
                    "{}. {} · {} · {}",
                    n + 1,
                    t(zone_name(mark.zone)),
                    t(kind_name(mark.kind)),
                    t(severity_name(mark.severity))
                );
                let note = (!mark.note.as_str().is_empty()).then(|| format!(" — {}", mark.note.as_str()));
                view! { <li>{what}{note}</li> }
            })
            .collect_view();
        view! { <ol class="marks">{list}</ol> }.into_any()
    };
    let attention: Vec<String> = walkaround
        .checklist
        .iter()
        .filter(|r| r.outcome == CheckOutcome::Attention)
        .map(|r| format!("{} {}", t(item_name(r.item)), r.note.as_str()).trim().to_owned())
        .collect();
    let lights: Vec<&str> = walkaround.warning_lights.iter().map(|l| t(light_name(*l))).collect();
    let items = if belongings.items.is_empty() { t(Msg::TabletSummaryNothingLeft).to_owned() } else { belongings.items.join(", ") };
    let cost = fill(t(Msg::TabletSummaryEstimateCost), &[("low", &format::amount(estimate.cost, language)), ("high", &format::amount(estimate.max_cost(), language))]);
    let time = fill(t(Msg::TabletSummaryEstimateTime), &[("low", &duration(estimate.minutes, language)), ("high", &duration(estimate.max_minutes(), language))]);
    let promised = promised_at.map(|at| format::moment(at.timestamp_millis() as f64, language)).unwrap_or_else(|| t(Msg::TabletSummaryNotPromised).to_owned());
    let row = move |label: Msg, value: String| view! { <div class="summary-row"><dt>{t(label)}</dt><dd>{value}</dd></div> };
    view! {
        <div class="order-summary">
            <dl class="summary-grid">
                {row(Msg::TabletSummaryCustomer, format!("{customer_name} · {customer_phone}"))}
                {row(Msg::TabletSummaryVehicle, format!("{plate} · {vehicle}{}", vin.map(|v| format!(" · {v}")).unwrap_or_default()))}
                {row(Msg::TabletSummaryConcerns, concerns.to_string())}
                {row(Msg::TabletSummaryDiagnosis, diagnosis)}
                {row(Msg::TabletSummaryTransport, t(transport(how)).to_owned())}
                {row(Msg::TabletSummaryOdometer, odometer)}
                {row(Msg::TabletSummaryFuel, fuel)}
                {row(Msg::TabletSummaryBelongings, items)}
                {belongings.valuables_reminder_confirmed.then(|| row(Msg::TabletSummaryValuables, t(Msg::TabletSummaryValuablesGiven).to_owned()))}
                {row(Msg::TabletSummaryKeyTag, key_tag.map(|k| k.to_string()).unwrap_or_default())}
            </dl>
            <h3>{t(Msg::TabletSummaryDamage)}</h3>
            {marks}
            {(!attention.is_empty()).then(|| view! { <p>{t(Msg::TabletSummaryAttention)}" "{attention.join("; ")}</p> })}
            {(!lights.is_empty()).then(|| view! { <p>{t(Msg::TabletSummaryLights)}" "{lights.join(", ")}</p> })}
            <h3>{t(Msg::TabletSummaryJobs)}</h3>
            <JobLinesTable lines=job_lines total language />
            <dl class="summary-grid">
                {row(Msg::TabletSummaryPricingBasis, t(basis(pricing_basis)).to_owned())}
                {row(Msg::TabletSummaryEstimate, format!("{cost} · {time}"))}
                {row(Msg::TabletSummaryPromised, promised)}
            </dl>
        </div>
    }
}

/// The job lines with their total, and the no-guarantee notice where a part is the customer's own.
#[component]
pub fn JobLinesTable(lines: Vec<JobLine>, total: Money, language: Language) -> impl IntoView {
    let t = move |msg| text(language, msg);
    let notice = lines.iter().any(JobLine::needs_no_guarantee_notice).then(|| view! { <p class="notice">{t(Msg::TabletSummaryNoGuarantee)}</p> });
    let lines = lines
        .into_iter()
        .map(|line| {
            view! {
                <tr>
                    <td>{line.description.clone()}</td>
                    <td>{t(item(line.item))}</td>
                    <td class="number">{quantity_text(line.quantity_milli)}</td>
                    <td class="number">{format::amount(line.unit_price, language)}</td>
                    <td class="number">{format::amount(line.line_total(), language)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="job-lines">
            <thead>
                <tr>
                    <th scope="col">{t(Msg::TabletSummaryJob)}</th>
                    <th scope="col">{t(Msg::TabletSummaryItem)}</th>
                    <th scope="col">{t(Msg::TabletSummaryQuantity)}</th>
                    <th scope="col">{t(Msg::TabletSummaryUnitPrice)}</th>
                    <th scope="col">{t(Msg::TabletSummaryAmount)}</th>
                </tr>
            </thead>
            <tbody>{lines}</tbody>
            <tfoot>
                <tr><th scope="row" colspan="4">{t(Msg::TabletSummaryTotal)}</th><td class="number">{format::amount(total, language)}</td></tr>
            </tfoot>
        </table>
        {notice}
    }
}
