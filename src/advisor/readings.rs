//! The walk-around's readings (DOMAIN.md step 4): the odometer typed on Lane's keypad in the unit
//! the dash shows, checked against the car's last known reading by the domain
//! (`check_drop_off`), and the fuel gauge set with one tap on a dial of eighths.

use crate::fields::{aria, text, TextField, Typing, TEXT};
use crate::format;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::keypad;
use lane_domain::readings::{check_drop_off, DistanceUnit, DropOffReadings, FuelEighths, Odometer, ReadingError};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Seven digits read up to 9,999,999: more than any dash shows, and always a `u32`.
const ODOMETER_DIGITS: usize = 7;

/// "38,120 km", in the person's language.
pub fn distance(i18n: I18n, odometer: Odometer) -> String {
    let template = match odometer.unit {
        DistanceUnit::Km => Msg::ReadingsDistanceKm,
        DistanceUnit::Miles => Msg::ReadingsDistanceMiles,
    };
    i18n.t_with(template, &[("value", &format::number(odometer.value, i18n.language()))])
}

fn reading_problem(i18n: I18n, error: ReadingError) -> String {
    match error {
        ReadingError::BelowLastKnown { reading, last_known } => i18n.t_with(
            Msg::ReadingsBelowLastKnown,
            &[("reading", &distance(i18n, reading)), ("last_known", &distance(i18n, last_known))],
        ),
        // `check_drop_off` returns no other error; one added later still says what is wrong.
        other => other.to_string(),
    }
}

#[component]
pub fn ReadingsStep(
    /// As last saved (None before the first reading).
    #[prop(into)]
    readings: Signal<Option<DropOffReadings>>,
    /// The vehicle's highest reading before this visit, if known: shown, and checked against.
    #[prop(into)]
    last_known: Signal<Option<Odometer>>,
    /// Called with readings that pass the domain's check (`check_drop_off`); the lead saves them.
    #[prop(into)]
    on_save: Callback<DropOffReadings>,
) -> impl IntoView {
    let i18n = use_i18n();
    let digits = RwSignal::new(String::new());
    // The unit tapped, or else the one the car last showed: usually no tap at all.
    let chosen_unit = RwSignal::new(None::<DistanceUnit>);
    let fuel = RwSignal::new(None::<FuelEighths>);
    let reason = RwSignal::new(String::new());
    // Problems show from the first Save on, then follow the typing.
    let tried = RwSignal::new(false);

    // The saved readings fill the form, again when they change (another tablet's edit), but not
    // when only something else of the visit changed: that would wipe what is being typed.
    let saved = Memo::new(move |_| readings.get());
    Effect::new(move |_| {
        let saved = saved.get();
        digits.set(saved.as_ref().map(|r| r.odometer.value.to_string()).unwrap_or_default());
        chosen_unit.set(saved.as_ref().map(|r| r.odometer.unit));
        fuel.set(saved.as_ref().map(|r| r.fuel));
        reason.set(saved.and_then(|r| r.correction_reason).unwrap_or_default());
    });

    let unit = move || chosen_unit.get().or_else(|| last_known.get().map(|o| o.unit)).unwrap_or(DistanceUnit::Km);
    let odometer = move || digits.with(|d| d.parse().ok()).map(|value| Odometer { value, unit: unit() });
    let below_last_known = move || odometer().is_some_and(|o| check_drop_off(o, last_known.get(), None).is_err());
    let needs_reason = Signal::derive(move || tried.get() && below_last_known());
    // What Save would hand over: the reason only with a reading that needs one.
    let draft = move || {
        let reason = reason.with(|r| Some(r.trim().to_owned()).filter(|r| !r.is_empty()));
        Some(DropOffReadings { odometer: odometer()?, fuel: fuel.get()?, correction_reason: reason.filter(|_| below_last_known()) })
    };

    let odometer_error = Signal::derive(move || {
        if !tried.get() {
            return None;
        }
        let Some(reading) = odometer() else { return Some(i18n.t(Msg::ReadingsOdometerEmpty).to_owned()) };
        let reason = reason.get();
        check_drop_off(reading, last_known.get(), Some(&reason)).err().map(|e| reading_problem(i18n, e))
    });
    let fuel_error = Signal::derive(move || (tried.get() && fuel.with(Option::is_none)).then(|| i18n.t(Msg::ReadingsFuelMissing).to_owned()));
    let save = move |_| {
        tried.set(true);
        if let Some(readings) = draft() {
            if check_drop_off(readings.odometer, last_known.get_untracked(), readings.correction_reason.as_deref()).is_ok() {
                on_save.run(readings);
            }
        }
    };
    let is_saved = move || saved.get().is_some_and(|saved| draft().as_ref() == Some(&saved));

    let last = text(move || match last_known.get() {
        Some(last) => i18n.t_with(Msg::ReadingsLastKnown, &[("reading", &distance(i18n, last))]),
        None => i18n.t(Msg::ReadingsNoLastKnown).to_owned(),
    });
    let unit_button = move |choice: DistanceUnit, label: Msg| {
        view! { <button type="button" class="unit" aria-pressed=aria(move || unit() == choice) on:click=move |_| chosen_unit.set(Some(choice))>{i18n.msg(label)}</button> }
    };
    view! {
        <section class="readings" aria-labelledby="readings-title">
            <h2 id="readings-title">{i18n.msg(Msg::ReadingsTitle)}</h2>
            <div class="readings-body">
                <div class="odometer">
                    <p class="last-known">{last}</p>
                    <TextField id="readings-odometer" label=Msg::ReadingsOdometer value=digits typing=Typing::Keypad { keys: keypad::DIGITS, max: ODOMETER_DIGITS } error=odometer_error />
                    <div class="units" role="group" aria-label=i18n.msg(Msg::ReadingsUnit)>
                        {unit_button(DistanceUnit::Km, Msg::ReadingsKm)}
                        {unit_button(DistanceUnit::Miles, Msg::ReadingsMiles)}
                    </div>
                    <div hidden=move || !needs_reason.get()>
                        <TextField id="readings-reason" label=Msg::ReadingsReason value=reason typing=TEXT error=Signal::derive(|| None) />
                    </div>
                </div>
                <FuelDial value=fuel error=fuel_error />
            </div>
            <div class="step-actions">
                <p role="status">{text(move || if is_saved() { i18n.t(Msg::ReadingsSaved).to_owned() } else { String::new() })}</p>
                <button type="button" class="primary" on:click=save>{i18n.msg(Msg::ReadingsSave)}</button>
            </div>
        </section>
    }
}

/// One wedge of the dial, centred on 12 o'clock, from radius 80 to 150 and 25° wide; each
/// position is this wedge turned to its place. About 50 px wide at the dial's usual size.
const WEDGE: &str = "M-32.47 -146.45 A150 150 0 0 1 32.47 -146.45 L17.32 -78.1 A80 80 0 0 0 -17.32 -78.1 Z";

/// The fuel gauge's needle read off by one tap: nine positions, E, 1/8 … F, on a 240° arc, as
/// an ARIA radio group (one tab stop, the arrow keys move the choice).
#[component]
pub fn FuelDial(value: RwSignal<Option<FuelEighths>>, error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let name = move |fuel: FuelEighths| match fuel.eighths() {
        0 => i18n.t(Msg::ReadingsFuelEmpty).to_owned(),
        8 => i18n.t(Msg::ReadingsFuelFull).to_owned(),
        eighths => i18n.t_with(Msg::ReadingsFuelEighths, &[("eighths", &eighths.to_string())]),
    };
    let positions = (0..=8).filter_map(|eighths| FuelEighths::new(eighths).ok()).map(|fuel| {
        let eighths = fuel.eighths();
        // From -120° (E) to +120° (F), 240°/9 apart, measured clockwise from 12 o'clock.
        let angle = (f64::from(eighths) * 80.0 - 320.0) / 3.0;
        let label = match eighths {
            0 => "E".to_owned(),
            8 => "F".to_owned(),
            n => format!("{n}/8"),
        };
        let checked = move || value.get() == Some(fuel);
        let focusable = move || checked() || (eighths == 0 && value.with(Option::is_none));
        view! {
            <g
                class="position"
                class:filled=move || value.get().is_some_and(|v| v.eighths() >= eighths)
                role="radio"
                data-eighths=eighths
                tabindex=move || if focusable() { "0" } else { "-1" }
                aria-checked=aria(checked)
                aria-label=text(move || name(fuel))
                on:click=move |_| value.set(Some(fuel))
            >
                <path d=WEDGE transform=format!("rotate({angle:.2})") />
                <text transform=format!("rotate({angle:.2}) translate(0 -115) rotate({:.2})", -angle) text-anchor="middle" dominant-baseline="central">{label}</text>
            </g>
        }
    });
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let now = value.get_untracked().map(FuelEighths::eighths);
        let next = match (ev.key().as_str(), now) {
            ("ArrowRight" | "ArrowUp", Some(n)) => n.saturating_add(1).min(8),
            ("ArrowLeft" | "ArrowDown", Some(n)) => n.saturating_sub(1),
            ("ArrowRight" | "ArrowUp" | "ArrowLeft" | "ArrowDown" | "Home", _) => 0,
            ("End", _) => 8,
            (" " | "Enter", None) => 0,
            _ => return,
        };
        ev.prevent_default();
        value.set(FuelEighths::new(next).ok());
        let dial = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        if let Some(position) = dial.and_then(|d| d.query_selector(&format!("[data-eighths='{next}']")).ok().flatten()) {
            let _ = position.unchecked_into::<web_sys::SvgElement>().focus();
        }
    };
    let shown = text(move || match value.get() {
        Some(fuel) => i18n.t_with(Msg::ReadingsFuelValue, &[("level", &name(fuel))]),
        None => i18n.t(Msg::ReadingsFuelUnset).to_owned(),
    });
    view! {
        <div class="fuel">
            <p class="fuel-label" id="fuel-label">{i18n.msg(Msg::ReadingsFuel)}</p>
            <svg class="fuel-dial" viewBox="-160 -160 320 245" role="radiogroup" aria-labelledby="fuel-label" aria-invalid=aria(move || error.with(Option::is_some)) aria-describedby="fuel-error" on:keydown=keydown>
                {positions.collect_view()}
            </svg>
            <p class="fuel-value">{shown}</p>
            <p id="fuel-error" class="error" role="alert">{text(move || error.get().unwrap_or_default())}</p>
        </div>
    }
}
