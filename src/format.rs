//! Dates, times and prices as people read them, in their language, by the browser's `Intl`
//! (free in the wasm bundle). Kiosks and tablets run in the dealership's time zone, so their
//! local time is the dealership's.

use crate::js;
use lane_domain::Language;
use wasm_bindgen::{JsCast, JsValue};

fn locales(language: Language) -> js_sys::Array {
    js_sys::Array::of1(&JsValue::from_str(language.tag()))
}

fn options(fields: &[(&str, JsValue)]) -> js_sys::Object {
    js::object(fields).unchecked_into()
}

/// What an `Intl` formatter's `format` makes of `value`.
fn formatted(format: js_sys::Function, value: &JsValue) -> String {
    format.call1(&JsValue::NULL, value).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

fn date(millis: f64, language: Language, fields: &[(&str, JsValue)]) -> String {
    let date: JsValue = js_sys::Date::new(&JsValue::from_f64(millis)).into();
    formatted(js_sys::Intl::DateTimeFormat::new(&locales(language), &options(fields)).format(), &date)
}

/// Milliseconds since the epoch of an RFC 3339 instant (0 if it is not one).
pub fn millis(instant: &str) -> f64 {
    js_sys::Date::parse(instant)
}

/// "14:30", "오후 2:30".
pub fn time(millis: f64, language: Language) -> String {
    date(millis, language, &[("hour", "numeric".into()), ("minute", "2-digit".into())])
}

/// "Tuesday, 24 November", "11月24日星期二".
pub fn day(millis: f64, language: Language) -> String {
    date(millis, language, &[("weekday", "long".into()), ("month", "long".into()), ("day", "numeric".into())])
}

/// "Tuesday, 24 November, 14:30": a day and a time.
pub fn moment(millis: f64, language: Language) -> String {
    format!("{}, {}", day(millis, language), time(millis, language))
}

/// "Tue 24", shorter, for a row of day buttons.
pub fn short_day(millis: f64, language: Language) -> String {
    date(millis, language, &[("weekday", "short".into()), ("day", "numeric".into())])
}

/// The local midnight `offset` days from today, as `(YYYY-MM-DD, milliseconds)`.
pub fn local_day(offset: u32) -> (String, f64) {
    let now = js_sys::Date::new_0();
    let day = js_sys::Date::new_with_year_month_day(now.get_full_year(), now.get_month() as i32, now.get_date() as i32 + offset as i32);
    (format!("{:04}-{:02}-{:02}", day.get_full_year(), day.get_month() + 1, day.get_date()), day.get_time())
}

/// "38,120": a whole number grouped as the language groups digits.
pub fn number(value: u32, language: Language) -> String {
    formatted(js_sys::Intl::NumberFormat::new(&locales(language), &js_sys::Object::new()).format(), &JsValue::from(value))
}

/// "¥480", "¥35.50", "₩48,000": whole amounts without decimals, others with all of the
/// currency's, and the local symbol ("¥", not "CN¥").
/// A domain amount, as [`money`] shows it.
pub fn amount(amount: lane_domain::Money, language: Language) -> String {
    money(amount.minor as f64, amount.currency.code(), language)
}

pub fn money(minor: f64, currency: &str, language: Language) -> String {
    let digits = lane_domain::money::Currency::from_code(currency).map_or(2, |c| c.minor_digits());
    let scale = 10f64.powi(digits as i32);
    let shown = if minor % scale == 0.0 { 0 } else { digits };
    let amount = JsValue::from_f64(minor / scale);
    let fields = [("style", "currency".into()), ("currency", currency.into()), ("currencyDisplay", "narrowSymbol".into()), ("minimumFractionDigits", shown.into())];
    formatted(js_sys::Intl::NumberFormat::new(&locales(language), &options(&fields)).format(), &amount)
}
