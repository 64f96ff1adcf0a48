//! JSON through the browser (`JSON.parse`, `JSON.stringify`) and plain property access, instead
//! of serde_json: the app reads only a few fields of the server's answers and sends small bodies,
//! and serde's derived code for the shared protocol types would be added to the wasm bundle for
//! every type (ARCHITECTURE.md's size budget), while the browser's JSON is free. The shapes are
//! those of `lane_domain`'s types: the tests' fake server answers with them (tests/store.rs), and
//! the real server, which denies unknown fields, answers the end-to-end tests.

use wasm_bindgen::JsValue;

/// The parsed JSON text, or `None` if it is not JSON.
pub fn parse(text: &str) -> Option<JsValue> {
    js_sys::JSON::parse(text).ok()
}

/// A plain object `{name: value, …}`.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

/// `JSON.stringify` of a plain object with these fields.
pub fn stringify(fields: &[(&str, JsValue)]) -> String {
    js_sys::JSON::stringify(&object(fields)).map(String::from).unwrap_or_default()
}

/// `value[name]` (undefined when missing).
pub fn field(value: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `value[name]` if it is a string.
pub fn text(value: &JsValue, name: &str) -> Option<String> {
    field(value, name).as_string()
}

/// `value[name]` if it is a non-negative whole number (sequence numbers, versions, cursors).
pub fn count(value: &JsValue, name: &str) -> Option<u64> {
    field(value, name).as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0).map(|n| n as u64)
}

/// `value[name]` if it is a boolean.
pub fn flag(value: &JsValue, name: &str) -> Option<bool> {
    field(value, name).as_bool()
}

/// `value[name]` as an array's items (empty when it is not an array).
pub fn items(value: &JsValue, name: &str) -> Vec<JsValue> {
    let array = field(value, name);
    if js_sys::Array::is_array(&array) {
        js_sys::Array::from(&array).iter().collect()
    } else {
        Vec::new()
    }
}

/// The stable codes (`lane_domain::api::ErrorCode`, as serde names them) that the app acts on.
/// Plain text, not serialised from the enum: that costs more wasm than the comparison is worth;
/// tests/store.rs checks each against the shared enum.
pub mod code {
    pub const SIGN_IN_REQUIRED: &str = "sign_in_required";
    pub const WRONG_PIN: &str = "wrong_pin";
    pub const PIN_LOCKED: &str = "pin_locked";
    pub const INVALID_ENROLMENT_CODE: &str = "invalid_enrolment_code";
    pub const WRONG_DEVICE_KIND: &str = "wrong_device_kind";
    pub const UNAUTHORIZED: &str = "unauthorized";
    pub const DEVICE_REVOKED: &str = "device_revoked";
}
