//! The warning lights lit on the instrument panel at drop-off, as a grid of their symbols (drawn
//! after ISO 2575) to tap on and off, and None lit. An empty list is the sheet's "none lit", so a
//! clean car needs no tap here.

use super::Sheet;
use crate::fields::aria;
use crate::i18n::{use_i18n, Msg};
use lane_domain::walkaround::WarningLight;
use leptos::prelude::*;

use WarningLight::*;

/// The grid's order: the red lights (stop soon) first, then the amber ones.
const GRID: [WarningLight; 16] = [
    Brake, OilPressure, Battery, CoolantTemperature, Airbag, Seatbelt, PowerSteering, CheckEngine,
    Abs, Esp, TyrePressure, GlowPlug, ParticulateFilter, LowFuel, ServiceDue, Other,
];

pub fn light_name(light: WarningLight) -> Msg {
    match light {
        CheckEngine => Msg::WalkaroundLightsCheckEngine,
        OilPressure => Msg::WalkaroundLightsOilPressure,
        Battery => Msg::WalkaroundLightsBattery,
        Brake => Msg::WalkaroundLightsBrake,
        Abs => Msg::WalkaroundLightsAbs,
        Airbag => Msg::WalkaroundLightsAirbag,
        TyrePressure => Msg::WalkaroundLightsTyrePressure,
        CoolantTemperature => Msg::WalkaroundLightsCoolantTemperature,
        Esp => Msg::WalkaroundLightsEsp,
        PowerSteering => Msg::WalkaroundLightsPowerSteering,
        Seatbelt => Msg::WalkaroundLightsSeatbelt,
        GlowPlug => Msg::WalkaroundLightsGlowPlug,
        ParticulateFilter => Msg::WalkaroundLightsParticulateFilter,
        LowFuel => Msg::WalkaroundLightsLowFuel,
        ServiceDue => Msg::WalkaroundLightsServiceDue,
        Other => Msg::WalkaroundLightsOther,
    }
}

/// A symbol on a 24 x 24 grid, stroked: path data, and letters where the standard symbol has them.
struct Symbol {
    paths: &'static [&'static str],
    letters: Option<&'static str>,
}

const RING: &str = "M5,12 a7,7 0 1,0 14,0 a7,7 0 1,0 -14,0";
const BRACKETS: &str = "M3,6 Q0.5,12 3,18 M21,6 Q23.5,12 21,18";
const EXCLAMATION: &str = "M12,8 V12.5 M12,15.2 V15.6";

fn symbol(light: WarningLight) -> Symbol {
    let (paths, letters): (&'static [&'static str], _) = match light {
        CheckEngine => (&["M6,9 H8 V7 H14 V9 H16 L18,11 H20 V17 H18 L16,19 H9 L6,16 Z", "M3,11 V16 M3,13.5 H6", "M9,5 H13"], None),
        OilPressure => (&["M5,10 H13 L16,12 L21,9 L17,16 H5 Z", "M5,12 H2 V9.5", "M8,10 V8 H10 V10", "M20.5,13.5 Q19.5,15.5 20.5,16.5 Q21.5,15.5 20.5,13.5"], None),
        Battery => (&["M3,8 H21 V19 H3 Z", "M6,8 V6 H9 V8 M15,8 V6 H18 V8", "M6,13 H9 M15,13 H18 M16.5,11.5 V14.5"], None),
        Brake => (&[RING, BRACKETS, EXCLAMATION], None),
        Abs => (&[RING, BRACKETS], Some("ABS")),
        Airbag => (&["M7,3 a1.8,1.8 0 1,0 0.1,0", "M6,7 L7,14 H12 L14,20", "M4,8 L5,17 H10", "M15,9 a3,3 0 1,0 6,0 a3,3 0 1,0 -6,0"], None),
        TyrePressure => (&["M7,5 Q3,12 7,19 H17 Q21,12 17,5", "M7,21 H17", EXCLAMATION], None),
        CoolantTemperature => (&["M12,3 V14", "M9.5,16.5 a2.5,2.5 0 1,0 5,0 a2.5,2.5 0 1,0 -5,0", "M12,5 H15 M12,8 H15 M12,11 H15", "M2,21 Q4.5,19 7,21 T12,21 T17,21 T22,21"], None),
        Esp => (&["M5,12 L7,7 H17 L19,12 V16 H5 Z", "M7,16 V18 M17,16 V18", "M5,21 Q7,19 9,21 M15,21 Q17,19 19,21"], None),
        PowerSteering => (&[RING, "M5.5,10 H18.5", EXCLAMATION], None),
        Seatbelt => (&["M9,4 a2,2 0 1,0 4,0 a2,2 0 1,0 -4,0", "M7,21 V12 Q7,8 11,8 Q15,8 15,12 V21", "M8,9 L15,18", "M17,17 L20,20"], None),
        GlowPlug => (&["M2,12 C4,6 6,18 8,12 C10,6 12,18 14,12 C16,6 18,18 20,12", "M20,12 H23"], None),
        ParticulateFilter => (&["M4,7 H20 V17 H4 Z", "M8,10 H8.1 M12,10 H12.1 M16,10 H16.1 M10,14 H10.1 M14,14 H14.1", "M1,12 H4 M20,12 H23"], None),
        LowFuel => (&["M5,4 H13 V20 H5 Z", "M7,6 H11 V10 H7 Z", "M13,9 H15 L18,12 V17 Q18,19 16.5,19 Q15,19 15,17 V13", "M3,20 H15"], None),
        ServiceDue => (&["M15,3 a4.5,4.5 0 0,0 -4.5,6 L3,16.5 L6.5,20 L14,12.5 a4.5,4.5 0 0,0 6,-4.5 L17.5,10.5 L14.5,9.5 L13.5,6.5 Z"], None),
        Other => (&["M12,3 L22,20 H2 Z", EXCLAMATION], None),
    };
    Symbol { paths, letters }
}

#[component]
pub fn WarningLights(sheet: Sheet) -> impl IntoView {
    let i18n = use_i18n();
    let cells = GRID
        .map(|light| {
            let Symbol { paths, letters } = symbol(light);
            let lit = aria(move || sheet.current.with(|sheet| sheet.warning_lights.contains(&light)));
            let toggle = move |_| {
                sheet.edit(|sheet| {
                    if sheet.warning_lights.contains(&light) {
                        sheet.warning_lights.retain(|l| *l != light);
                    } else {
                        sheet.warning_lights.push(light);
                        sheet.warning_lights.sort_by_key(|l| GRID.iter().position(|g| g == l));
                    }
                });
            };
            view! {
                <li>
                    <button type="button" class="light" aria-pressed=lit on:click=toggle>
                        <svg viewBox="0 0 24 24" aria-hidden="true">
                            {paths.iter().map(|d| view! { <path d=*d /> }).collect_view()}
                            {letters.map(|letters| view! { <text x="12" y="14.2" text-anchor="middle">{letters}</text> })}
                        </svg>
                        <span>{i18n.msg(light_name(light))}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    let none_lit = aria(move || sheet.current.with(|sheet| sheet.warning_lights.is_empty()));
    view! {
        <section class="warning-lights" aria-labelledby="lights-title">
            <h3 id="lights-title">{i18n.msg(Msg::WalkaroundLightsTitle)}</h3>
            <p>{i18n.msg(Msg::WalkaroundLightsHint)}</p>
            <ul class="lights">
                <li>
                    <button type="button" class="light none-lit" aria-pressed=none_lit on:click=move |_| { sheet.edit(|sheet| sheet.warning_lights.clear()); }>
                        {i18n.msg(Msg::WalkaroundLightsNone)}
                    </button>
                </li>
                {cells}
            </ul>
        </section>
    }
}
