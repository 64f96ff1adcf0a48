//! The repair order's lines, estimate and promised time (制单, DOMAIN.md step 5), written with the
//! customer: lines from the catalogue in one tap or typed, the estimate and the promised time
//! derived from them and adjustable. Every change is saved at once through the callbacks; the
//! rules are `lane_domain::jobs`'.

use crate::fields::{aria, text, TextArea, TextField, Typing};
use crate::format;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::js;
use crate::random::uuid_v4;
use crate::sync::use_records;
use chrono::{DateTime, Utc};
use lane_domain::catalogue::{LocalizedText, ServiceType};
use lane_domain::decimal::{parse_scaled, DecimalError};
use lane_domain::ids::{JobLineId, ServiceTypeId};
use lane_domain::jobs::{
    order_total, parse_quantity, promised_time, quantity_text, Estimate, JobError, JobItem, JobLine, PartSource, PricingBasis,
    DEFAULT_MARGIN_PERCENT, MAX_DESCRIPTION, MAX_MARGIN, PROMISE_STEP,
};
use lane_domain::{Currency, Language, Money};
use leptos::prelude::*;

/// The synced catalogue (`service_type` records) as the domain's service types, for
/// [`OrderStep`]'s `catalogue`; empty until read.
pub fn use_service_types() -> Signal<Vec<ServiceType>> {
    let records = use_records("service_type", |record| {
        let (names, price) = (js::field(record, "names"), js::field(record, "price"));
        let name = |tag| js::text(&names, tag);
        Some(ServiceType {
            id: ServiceTypeId::parse(&js::text(record, "id")?).ok()?,
            code: js::text(record, "code")?,
            names: LocalizedText { en: name("en")?, zh_cn: name("zh-CN")?, ko: name("ko")? },
            duration_minutes: u32::try_from(js::count(record, "duration_minutes")?).ok()?,
            price: Money::new(js::field(&price, "minor").as_f64()? as i64, Currency::from_code(&js::text(&price, "currency")?)?),
        })
    });
    Signal::derive(move || records.get().unwrap_or_default())
}

/// The order's currency: its lines' if it has any, else the catalogue's, which is priced in the
/// dealership's. `None` only before the catalogue has arrived on a new tablet.
fn order_currency(lines: &[JobLine], catalogue: &[ServiceType]) -> Option<Currency> {
    lines.first().map(|l| l.unit_price.currency).or_else(|| catalogue.first().map(|s| s.price.currency))
}

fn new_line_id() -> JobLineId {
    JobLineId::parse(&uuid_v4()).expect("a UUID is an id")
}

/// One unit of a service, described in the advisor's language.
fn catalogue_line(service: &ServiceType, language: Language) -> JobLine {
    JobLine {
        id: new_line_id(),
        description: service.names.get(language).to_owned(),
        service_type: Some(service.id.clone()),
        item: JobItem::Labour,
        quantity_milli: 1000,
        unit_price: service.price,
        added: None,
    }
}

/// What a free line can be, in the order the advisor is offered them.
const ITEMS: [JobItem; 4] = [
    JobItem::Labour,
    JobItem::Part { source: PartSource::Original },
    JobItem::Part { source: PartSource::Aftermarket },
    JobItem::Part { source: PartSource::CustomerSupplied },
];

fn item_label(item: JobItem) -> Msg {
    match item {
        JobItem::Labour => Msg::OrderLabour,
        JobItem::Part { source: PartSource::Original } => Msg::OrderPartOriginal,
        JobItem::Part { source: PartSource::Aftermarket } => Msg::OrderPartAftermarket,
        JobItem::Part { source: PartSource::CustomerSupplied } => Msg::OrderPartCustomerSupplied,
    }
}

fn job_error(i18n: I18n, error: JobError) -> String {
    match error {
        JobError::DescriptionMissing => i18n.t(Msg::OrderErrorDescriptionMissing).to_owned(),
        JobError::DescriptionTooLong { length } => {
            i18n.t_with(Msg::OrderErrorDescriptionTooLong, &[("max", &MAX_DESCRIPTION.to_string()), ("length", &length.to_string())])
        }
        JobError::ZeroQuantity => i18n.t(Msg::OrderErrorZeroQuantity).to_owned(),
        JobError::AlreadyDecided => i18n.t(Msg::OrderErrorAlreadyDecided).to_owned(),
        JobError::PhoneAnswerUnnoted => i18n.t(Msg::OrderErrorPhoneUnnoted).to_owned(),
        JobError::NotAnAnswer => i18n.t(Msg::OrderErrorNotAnAnswer).to_owned(),
        JobError::Currency(mismatch) => i18n.t_with(Msg::OrderErrorCurrency, &[("currency", mismatch.left.code())]),
        JobError::MarginTooWide { .. } => i18n.t_with(Msg::OrderErrorMargin, &[("max", &MAX_MARGIN.to_string())]),
        JobError::NegativeEstimate => i18n.t(Msg::OrderErrorNegative).to_owned(),
    }
}

fn decimal_error(i18n: I18n, error: DecimalError) -> String {
    match error {
        DecimalError::Empty => i18n.t(Msg::OrderNumberEmpty).to_owned(),
        DecimalError::NotANumber => i18n.t(Msg::OrderNumberInvalid).to_owned(),
        DecimalError::TooManyDecimals { allowed: 0 } => i18n.t(Msg::OrderNumberWhole).to_owned(),
        DecimalError::TooManyDecimals { allowed } => i18n.t_with(Msg::OrderNumberDecimals, &[("count", &allowed.to_string())]),
        DecimalError::TooLarge => i18n.t(Msg::OrderNumberTooLarge).to_owned(),
    }
}

/// "2 h 30 min", "45 min".
fn duration(i18n: I18n, minutes: u32) -> String {
    let (h, m) = ((minutes / 60).to_string(), (minutes % 60).to_string());
    match (minutes / 60, minutes % 60) {
        (0, _) => i18n.t_with(Msg::OrderMinutes, &[("minutes", &m)]),
        (_, 0) => i18n.t_with(Msg::OrderHours, &[("hours", &h)]),
        _ => i18n.t_with(Msg::OrderHoursMinutes, &[("hours", &h), ("minutes", &m)]),
    }
}

/// "¥1,200–1,320, about 2 h 30 min": the cost up to its margin, and the time.
fn estimate_summary(i18n: I18n, estimate: &Estimate) -> String {
    let language = i18n.language();
    let time = duration(i18n, estimate.minutes);
    if estimate.max_cost() == estimate.cost {
        return i18n.t_with(Msg::OrderEstimateExact, &[("cost", &format::amount(estimate.cost, language)), ("time", &time)]);
    }
    let (low, high) = (format::amount(estimate.cost, language), format::amount(estimate.max_cost(), language));
    i18n.t_with(Msg::OrderEstimateRange, &[("low", &low), ("high", &high), ("time", &time)])
}

/// A field saved when the person leaves it or presses Enter (`change`), not on every key.
#[component]
fn ChangeField(id: &'static str, label: Msg, value: Signal<String>, changed: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{i18n.msg(label)}</label>
            <input id=id inputmode="decimal" autocomplete="off" aria-describedby="order-estimate-error" prop:value=value on:change=move |ev| changed.run(event_target_value(&ev)) />
        </div>
    }
}

/// A line of the advisor's own: what it is, labour or which kind of part, how many, at what price.
/// `add` says whether it took the line; the form is cleared only then.
#[component]
pub fn FreeLine(currency: Signal<Option<Currency>>, add: Callback<JobLine, bool>) -> impl IntoView {
    let i18n = use_i18n();
    let description = RwSignal::new(String::new());
    let item = RwSignal::new(JobItem::Labour);
    let quantity_field = RwSignal::new("1".to_owned());
    let price_text = RwSignal::new(String::new());
    let (description_error, quantity_error, price_error) = (RwSignal::new(None), RwSignal::new(None), RwSignal::new(None));
    let submit = move |_| {
        let typed_quantity = parse_quantity(&quantity_field.get_untracked()).map_err(|e| decimal_error(i18n, e));
        let typed_price = match currency.get_untracked() {
            Some(currency) => Money::parse(&price_text.get_untracked(), currency).map_err(|e| decimal_error(i18n, e)),
            None => Err(i18n.t(Msg::OrderNoCurrency).to_owned()),
        };
        quantity_error.set(typed_quantity.clone().err());
        price_error.set(typed_price.clone().err());
        description_error.set(None);
        let (Ok(quantity_milli), Ok(unit_price)) = (typed_quantity, typed_price) else { return };
        let line = JobLine {
            id: new_line_id(),
            description: description.get_untracked().trim().to_owned(),
            service_type: None,
            item: item.get_untracked(),
            quantity_milli,
            unit_price,
            added: None,
        };
        match line.check() {
            Err(JobError::ZeroQuantity) => quantity_error.set(Some(job_error(i18n, JobError::ZeroQuantity))),
            Err(error) => description_error.set(Some(job_error(i18n, error))),
            Ok(()) if add.run(line) => {
                description.set(String::new());
                quantity_field.set("1".to_owned());
                price_text.set(String::new());
            }
            Ok(()) => {}
        }
    };
    let items = ITEMS
        .into_iter()
        .map(|choice| view! { <button type="button" class="choice" aria-pressed=aria(move || item.get() == choice) on:click=move |_| item.set(choice)>{i18n.msg(item_label(choice))}</button> })
        .collect_view();
    let not_supplied = Signal::derive(move || item.get() != JobItem::Part { source: PartSource::CustomerSupplied });
    let decimal = Typing::Keyboard { mode: "decimal", autocomplete: "off" };
    view! {
        <fieldset class="order-free">
            <legend>{i18n.msg(Msg::OrderFreeTitle)}</legend>
            <TextArea id="order-description" label=Msg::OrderDescription value=description error=description_error.into() />
            <div class="order-items" role="group" aria-label=i18n.msg(Msg::OrderKind)>{items}</div>
            <p class="notice" hidden=not_supplied>{i18n.msg(Msg::OrderNoGuarantee)}</p>
            <div class="field-row">
                <TextField id="order-quantity" label=Msg::OrderQuantity value=quantity_field typing=decimal error=quantity_error.into() />
                <TextField id="order-unit-price" label=Msg::OrderUnitPrice value=price_text typing=decimal error=price_error.into() />
            </div>
            <button type="button" class="primary" on:click=submit>{i18n.msg(Msg::OrderAdd)}</button>
        </fieldset>
    }
}

/// The order step. The estimate follows the lines: each change of lines derives it again (their
/// total and workshop time, keeping the advisor's margin), and each estimate saved derives the
/// promised time from `checked_in_at`. The advisor may then set the estimate's cost, margin and
/// time, and move the promised time, by hand; such a setting holds until what it is derived from
/// changes, or "Derive again".
#[component]
pub fn OrderStep(
    /// The service catalogue ([`use_service_types`] on the tablet), a prop so tests can give one.
    #[prop(into)]
    catalogue: Signal<Vec<ServiceType>>,
    /// The order's lines as last saved.
    #[prop(into)]
    lines: Signal<Vec<JobLine>>,
    #[prop(into)] estimate: Signal<Option<Estimate>>,
    #[prop(into)] promised_at: Signal<Option<DateTime<Utc>>>,
    /// The services the customer booked (pre-offered as lines when the order is empty).
    #[prop(into)]
    booked: Signal<Vec<ServiceTypeId>>,
    /// When the car was checked in: the start of the promised-time derivation.
    checked_in_at: DateTime<Utc>,
    on_save_lines: Callback<Vec<JobLine>>,
    on_save_estimate: Callback<Estimate>,
    on_save_promised: Callback<Option<DateTime<Utc>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let currency = Signal::derive(move || lines.with(|l| catalogue.with(|c| order_currency(l, c))));
    let (lines_error, estimate_error) = (RwSignal::new(None::<String>), RwSignal::new(None::<String>));

    let save_estimate = Callback::new(move |next: Estimate| match next.check() {
        Err(error) => estimate_error.set(Some(job_error(i18n, error))),
        Ok(()) => {
            estimate_error.set(None);
            on_save_estimate.run(next);
            on_save_promised.run(Some(promised_time(checked_in_at, &next)));
        }
    });
    let derive = move |from: &[JobLine], margin: u8| {
        catalogue.with_untracked(|c| order_currency(from, c).map(|currency| Estimate::derive(from, c, currency, margin)))
    };
    let margin = move || estimate.get_untracked().map_or(DEFAULT_MARGIN_PERCENT, |e| e.margin_percent);
    let rederive = move |from: &[JobLine]| match derive(from, margin()) {
        Some(Ok(next)) => save_estimate.run(next),
        Some(Err(error)) => estimate_error.set(Some(job_error(i18n, error))),
        None => {}
    };
    let save_lines = Callback::new(move |next: Vec<JobLine>| {
        if let Some(error) = next.iter().find_map(|l| l.check().err()) {
            return lines_error.set(Some(job_error(i18n, error)));
        }
        lines_error.set(None);
        on_save_lines.run(next.clone());
        rederive(&next);
    });

    let toggle = move |service: &ServiceType| {
        let mut next = lines.get_untracked();
        match next.iter().position(|l| l.service_type.as_ref() == Some(&service.id)) {
            Some(at) => drop(next.remove(at)),
            None => next.push(catalogue_line(service, i18n.language())),
        }
        save_lines.run(next);
    };
    let services = move || {
        let language = i18n.language();
        catalogue
            .get()
            .into_iter()
            .map(|service| {
                let id = service.id.clone();
                let pressed = aria(move || lines.with(|all| all.iter().any(|l| l.service_type.as_ref() == Some(&id))));
                let hint = format!("{} · {}", duration(i18n, service.duration_minutes), format::amount(service.price, language));
                let name = service.names.get(language).to_owned();
                view! {
                    <li>
                        <button type="button" class="choice" aria-pressed=pressed on:click=move |_| toggle(&service)>
                            <span class="choice-title">{name}</span>
                            <span class="choice-hint">{hint}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let offer = move || {
        let language = i18n.language();
        let wanted: Vec<ServiceType> =
            booked.with(|ids| catalogue.with(|all| ids.iter().filter_map(|id| all.iter().find(|s| &s.id == id)).cloned().collect()));
        (lines.with(Vec::is_empty) && !wanted.is_empty()).then(|| {
            let names = wanted.iter().map(|s| s.names.get(language)).collect::<Vec<_>>().join(", ");
            let add = move |_| save_lines.run(wanted.iter().map(|s| catalogue_line(s, language)).collect());
            view! { <button type="button" class="primary" on:click=add>{i18n.t_with(Msg::OrderAddBooked, &[("names", &names)])}</button> }
        })
    };
    let line_items = move || {
        let language = i18n.language();
        lines
            .get()
            .into_iter()
            .map(|line| {
                let id = line.id.clone();
                let remove = move |_| save_lines.run(lines.get_untracked().into_iter().filter(|l| l.id != id).collect());
                let detail = format!(
                    "{} · {} × {} = {}",
                    i18n.t(item_label(line.item)),
                    quantity_text(line.quantity_milli),
                    format::amount(line.unit_price, language),
                    format::amount(line.line_total(), language)
                );
                let notice = line.needs_no_guarantee_notice().then(|| view! { <p class="notice">{i18n.msg(Msg::OrderNoGuarantee)}</p> });
                let label = i18n.t_with(Msg::OrderRemove, &[("description", &line.description)]);
                view! {
                    <li>
                        <div><strong>{line.description}</strong><br />{detail}{notice}</div>
                        <button type="button" aria-label=label on:click=remove>{i18n.msg(Msg::OrderRemoveShort)}</button>
                    </li>
                }
            })
            .collect_view()
    };
    let total = text(move || {
        let Some(currency) = currency.get() else { return String::new() };
        match lines.with(|l| order_total(l, currency)) {
            Ok(total) => i18n.t_with(Msg::OrderTotal, &[("total", &format::amount(total, i18n.language()))]),
            Err(error) => job_error(i18n, error),
        }
    });

    // What is shown: the saved estimate, or before one is saved what the lines give.
    let shown = Signal::derive(move || {
        catalogue.track();
        estimate.get().or_else(|| lines.with(|l| if l.is_empty() { None } else { derive(l, DEFAULT_MARGIN_PERCENT)?.ok() }))
    });
    let set_margin = Callback::new(move |typed: String| {
        let Some(current) = shown.get_untracked() else { return };
        match parse_scaled(&typed, 0) {
            Ok(percent) => save_estimate.run(Estimate { margin_percent: u8::try_from(percent).unwrap_or(u8::MAX), ..current }),
            Err(error) => estimate_error.set(Some(decimal_error(i18n, error))),
        }
    });
    let set_cost = Callback::new(move |typed: String| {
        let Some(current) = shown.get_untracked() else { return };
        match Money::parse(&typed, current.cost.currency) {
            Ok(cost) => save_estimate.run(Estimate { cost, ..current }),
            Err(error) => estimate_error.set(Some(decimal_error(i18n, error))),
        }
    });
    let step = PROMISE_STEP.num_minutes() as u32;
    let shift_time = move |longer: bool| {
        if let Some(current) = shown.get_untracked() {
            let minutes = if longer { current.minutes.saturating_add(step) } else { current.minutes.saturating_sub(step) };
            save_estimate.run(Estimate { minutes, ..current });
        }
    };
    let shift_promise = move |later: bool| {
        if let Some(at) = promised_at.get_untracked() {
            on_save_promised.run(Some(if later { at + PROMISE_STEP } else { at - PROMISE_STEP }));
        }
    };
    let no_estimate = Signal::derive(move || shown.with(Option::is_none));
    let summary = text(move || shown.get().map(|e| estimate_summary(i18n, &e)).unwrap_or_else(|| i18n.t(Msg::OrderEstimateNone).to_owned()));
    let margin_text = text(move || shown.get().map(|e| e.margin_percent.to_string()).unwrap_or_default());
    let cost_text = text(move || shown.get().map(|e| e.cost.typed_form()).unwrap_or_default());
    let promised = text(move || match promised_at.get() {
        Some(at) => format::moment(at.timestamp_millis() as f64, i18n.language()),
        None => i18n.t(Msg::OrderPromisedNone).to_owned(),
    });

    view! {
        <section class="order" aria-labelledby="order-title">
            <h2 id="order-title">{i18n.msg(Msg::OrderTitle)}</h2>
            {offer}
            <h3>{i18n.msg(Msg::OrderCatalogue)}</h3>
            <ul class="choices services" aria-label=i18n.msg(Msg::OrderCatalogue)>{services}</ul>
            <h3>{i18n.msg(Msg::OrderLines)}</h3>
            <p hidden=Signal::derive(move || !lines.with(Vec::is_empty))>{i18n.msg(Msg::OrderEmpty)}</p>
            <ul class="order-lines">{line_items}</ul>
            <p class="error" role="alert">{text(move || lines_error.get().unwrap_or_default())}</p>
            <p class="order-total">{total}</p>
            <FreeLine currency add=Callback::new(move |line| {
                save_lines.run(lines.get_untracked().into_iter().chain([line]).collect());
                true
            }) />

            <h3>{i18n.msg(Msg::OrderEstimateTitle)}</h3>
            <p class="order-estimate">{summary}</p>
            <div class="field-row" hidden=no_estimate>
                <ChangeField id="order-cost" label=Msg::OrderCost value=cost_text changed=set_cost />
                <ChangeField id="order-margin" label=Msg::OrderMargin value=margin_text changed=set_margin />
            </div>
            <div class="actions" role="group" aria-label=i18n.msg(Msg::OrderTime) hidden=no_estimate>
                <button type="button" on:click=move |_| shift_time(false)>{i18n.msg(Msg::OrderTimeShorter)}</button>
                <button type="button" on:click=move |_| shift_time(true)>{i18n.msg(Msg::OrderTimeLonger)}</button>
            </div>
            <p id="order-estimate-error" class="error" role="alert">{text(move || estimate_error.get().unwrap_or_default())}</p>

            <h3>{i18n.msg(Msg::OrderPromisedTitle)}</h3>
            <p class="when">{promised}</p>
            <div class="actions" role="group" aria-label=i18n.msg(Msg::OrderPromisedTitle) hidden=Signal::derive(move || promised_at.with(Option::is_none))>
                <button type="button" on:click=move |_| shift_promise(false)>{i18n.msg(Msg::OrderEarlier)}</button>
                <button type="button" on:click=move |_| shift_promise(true)>{i18n.msg(Msg::OrderLater)}</button>
                <button type="button" on:click=move |_| rederive(&lines.get_untracked())>{i18n.msg(Msg::OrderDeriveAgain)}</button>
            </div>
        </section>
    }
}

/// How the order is priced (by item, by system or by symptom), saved at once; it is printed on
/// the order the customer signs.
#[component]
pub fn PricingBasisChoice(#[prop(into)] basis: Signal<PricingBasis>, on_save: Callback<PricingBasis>) -> impl IntoView {
    let i18n = use_i18n();
    let choices = PricingBasis::ALL
        .into_iter()
        .map(|choice| {
            let (name, hint) = match choice {
                PricingBasis::ByItem => (Msg::OrderBasisByItem, Msg::OrderBasisByItemHint),
                PricingBasis::BySystem => (Msg::OrderBasisBySystem, Msg::OrderBasisBySystemHint),
                PricingBasis::BySymptom => (Msg::OrderBasisBySymptom, Msg::OrderBasisBySymptomHint),
            };
            view! {
                <li>
                    <button type="button" class="choice" aria-pressed=aria(move || basis.get() == choice) on:click=move |_| on_save.run(choice)>
                        <span class="choice-title">{i18n.msg(name)}</span>
                        <span class="choice-hint">{i18n.msg(hint)}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="order-basis" aria-labelledby="order-basis-title">
            <h3 id="order-basis-title">{i18n.msg(Msg::OrderBasisTitle)}</h3>
            <ul class="choices" aria-labelledby="order-basis-title">{choices}</ul>
        </section>
    }
}
